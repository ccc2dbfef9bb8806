from marketplace.volunteers import operations as volunteering
from marketplace.extensions import db
from tests.volunteers.helpers import HostingWorld


def test_sign_up_check_in_and_out_in_one_session(clock):
    world = HostingWorld()
    shift = world.shift(world.position(), hours=2)
    student = world.students(1)[0]
    volunteering.sign_up(student, shift)  # no commit from here on
    clock.set(shift.starts_at)
    volunteering.check_in_or_out(student, shift, volunteering.checkin_code(shift))
    clock.set(shift.ends_at)
    volunteering.check_in_or_out(student, shift, volunteering.checkin_code(shift))
    db.session.commit()
