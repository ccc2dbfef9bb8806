from datetime import timedelta
from decimal import Decimal

import pytest

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.volunteers import attendance, positions, queries, reliability, signups, tasks
from marketplace.volunteers.models import SignupStatus
from tests.volunteers.helpers import HostingWorld


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def staffed(world):
    shift = world.shift(world.position(), capacity=3, hours=3, credit_hours="2.5")
    volunteer, outsider = world.students(2)
    world.sign_up(volunteer, shift)
    return world, shift, volunteer, outsider


def test_previous_minute_code_is_accepted_and_older_ones_are_not(staffed, clock):
    world, shift, volunteer, _ = staffed
    clock.set(shift.starts_at)
    old = attendance.checkin_code(shift)
    clock.shift(timedelta(seconds=61))
    attendance.check_in_or_out(volunteer, shift, {"code": old})  # previous minute: fine
    clock.shift(timedelta(minutes=2))
    with pytest.raises(DomainError, match="过期"):
        attendance.check_in_or_out(volunteer, shift, {"code": old})


def test_codes_of_another_shift_and_unaccepted_students_are_refused(staffed, clock):
    world, shift, volunteer, outsider = staffed
    other = world.shift(world.position(), starts_in=timedelta(days=3))
    clock.set(shift.starts_at)
    with pytest.raises(DomainError, match="签到码"):
        attendance.check_in_or_out(volunteer, shift, {"code": attendance.checkin_code(other)})
    with pytest.raises(DomainError, match="没有被录用"):
        attendance.check_in_or_out(outsider, shift, {"code": attendance.checkin_code(shift)})


def test_credited_hours_are_the_overlap_rounded_down_to_half_hours_and_capped(staffed):
    world, shift, *_ = staffed
    start = shift.starts_at
    assert attendance.credited_hours(
        shift, start + timedelta(minutes=10), start + timedelta(minutes=79)
    ) == Decimal("1")
    assert attendance.credited_hours(
        shift, start - timedelta(hours=1), start + timedelta(hours=5)
    ) == Decimal("2.5")
    assert attendance.credited_hours(shift, start + timedelta(hours=4), start + timedelta(hours=5)) == 0


def test_a_missing_checkout_waits_for_the_host(staffed, clock):
    world, shift, volunteer, _ = staffed
    clock.set(shift.starts_at)
    attendance.check_in_or_out(volunteer, shift, {"code": attendance.checkin_code(shift)})
    db.session.commit()
    clock.set(shift.ends_at + timedelta(hours=1))
    with pytest.raises(DomainError, match="没有签退"):
        attendance.confirm_attendance(world.host, shift)
    signup = queries.roster(shift)[0]
    attendance.mark_attendance(
        world.host,
        signup,
        {
            "checked_in_at": shift.starts_at,
            "checked_out_at": shift.ends_at,
            "reason": "忘记扫码签退，现场核实",
        },
    )
    assert attendance.confirm_attendance(world.host, shift) == 1
    assert signup.attendance.credited_hours == Decimal("2.5")


def test_no_shows_are_marked_after_the_shift_and_block_signups_until_appealed(world, clock, app):
    from marketplace import settings

    settings.put("no_show_block_count", 1, None)
    db.session.commit()
    shift = world.shift(world.position(), capacity=1)
    student = world.students(1)[0]
    signup = world.sign_up(student, shift)
    clock.set(shift.ends_at)
    assert tasks.mark_no_shows() == 1
    assert tasks.mark_no_shows() == 0
    db.session.refresh(signup)
    assert signup.status == SignupStatus.NO_SHOW
    later = world.shift(world.position(), starts_in=timedelta(days=5))
    with pytest.raises(DomainError, match="缺勤"):
        signups.sign_up(student, later)
    appeal = reliability.appeal_no_show(student, signup, {"reason": "当天发烧，有校医院证明"})
    reliability.rule_appeal(world.host, appeal, {"uphold": True, "ruling": "证明属实"})
    db.session.commit()
    assert signup.status == SignupStatus.EXCUSED
    assert world.sign_up(student, later).status == SignupStatus.ACCEPTED


def test_checking_in_and_out_in_one_session_keeps_one_attendance(world, clock):
    shift = world.shift(world.position(), hours=2)
    student = world.students(1)[0]
    signup = signups.sign_up(student, shift)
    clock.set(shift.starts_at)
    attendance.check_in_or_out(student, shift, {"code": attendance.checkin_code(shift)})
    clock.set(shift.ends_at)
    attendance.check_in_or_out(student, shift, {"code": attendance.checkin_code(shift)})
    db.session.commit()
    assert signup.attendance.checked_out_at == shift.ends_at


def test_completed_trainings_show_on_the_students_profile(world, client):
    from marketplace.volunteers.models import Training
    from tests import factories

    student = world.students(1)[0]
    training = positions.save_training(
        world.host,
        world.project,
        Training(),
        {"title": "急救与安全培训", "held_at": world.project.bid_deadline},
    )
    positions.record_training_attendance(world.host, training, {"students": [student]})
    db.session.commit()
    factories.login(client, student)
    assert "急救与安全培训" in client.get("/account").get_data(as_text=True)
