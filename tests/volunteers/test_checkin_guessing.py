"""Check-in codes cannot be guessed: whoever is not accepted on the shift learns nothing about a code
(the sign-up is checked first), a volunteer may type only a few wrong codes, and a scan made signed
out is not checked until the login ties it to a sign-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.extensions import db
from marketplace.volunteers.attendance import checkin_code
from marketplace.volunteers.models import Attendance, Signup
from tests import factories
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import error_of, signed_in

WRONG = "000000"


@pytest.fixture
def staffed(app, clock):
    world = HostingWorld()
    shift = world.shift(world.position(), capacity=2)
    volunteer, colleague, waiting = world.students(3)
    for student in (volunteer, colleague, waiting):
        world.sign_up(student, shift)
    clock.set(shift.starts_at)
    return world, shift, volunteer, colleague, waiting


def attendance_of(student) -> Attendance | None:
    db.session.expire_all()
    return db.session.scalar(
        db.select(Attendance).join(Attendance.signup).where(Signup.user_id == student.id)
    )


def check_in(client, shift, code):
    return client.post(f"/checkin/{shift.id}", data={"code": code})


def test_a_student_not_accepted_on_the_shift_gets_one_answer_whatever_the_code(app, staffed, clock):
    world, shift, *_, waiting = staffed
    stale = checkin_code(shift)
    clock.shift(timedelta(minutes=3))
    for student in (waiting, factories.user()):
        client = signed_in(app, student)
        answers = {
            error_of(check_in(client, shift, code).get_data(as_text=True), "code")
            for code in (checkin_code(shift), stale, WRONG)
        }
        assert answers == {"你没有被录用到这个班次，不能签到。"}


def test_after_ten_wrong_codes_even_the_right_code_is_refused_for_a_while(app, staffed):
    world, shift, volunteer, *_ = staffed
    client = signed_in(app, volunteer)
    for _ in range(10):
        assert "签到码不对" in error_of(check_in(client, shift, WRONG).get_data(as_text=True), "code")

    response = check_in(client, shift, checkin_code(shift))

    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "code") == (
        "签到码输错次数太多，请 10 分钟后再试，或请承办方为你登记签到。"
    )
    assert attendance_of(volunteer) is None


def test_nine_wrong_codes_and_then_the_right_one_still_checks_in(app, staffed):
    world, shift, volunteer, *_ = staffed
    client = signed_in(app, volunteer)
    for _ in range(9):
        check_in(client, shift, WRONG)

    assert check_in(client, shift, checkin_code(shift)).status_code == 302
    assert attendance_of(volunteer) is not None


def test_one_volunteers_wrong_codes_do_not_stop_another_on_the_same_shift(app, staffed):
    world, shift, volunteer, colleague, _ = staffed
    guesser = signed_in(app, volunteer)
    for _ in range(11):
        check_in(guesser, shift, WRONG)

    assert check_in(signed_in(app, colleague), shift, checkin_code(shift)).status_code == 302


def test_a_scan_while_signed_out_is_not_checked_before_the_login(app, staffed):
    world, shift, *_, waiting = staffed
    client = signed_in(app, None)

    scanned = client.get(f"/checkin/{shift.id}?code={WRONG}")

    assert scanned.status_code == 302 and "/login?next=" in scanned.location
    page = client.get(scanned.location).get_data(as_text=True)
    assert "签到码" in page and "有效" not in page and "不对" not in page and "过期" not in page
    client.post(scanned.location, data={"identifier": waiting.identifier, "password": factories.PASSWORD})
    resumed = client.get(f"/checkin/{shift.id}/resume")
    assert error_of(resumed.get_data(as_text=True), "code") == "你没有被录用到这个班次，不能签到。"


def test_a_scan_finished_after_the_login_counts_towards_the_wrong_code_limit(app, staffed):
    world, shift, volunteer, *_ = staffed
    for _ in range(10):
        check_in(signed_in(app, volunteer), shift, WRONG)
    client = signed_in(app, None)
    scanned = client.get(f"/checkin/{shift.id}?code={checkin_code(shift)}")
    client.post(scanned.location, data={"identifier": volunteer.identifier, "password": factories.PASSWORD})

    resumed = client.get(f"/checkin/{shift.id}/resume")

    assert "签到码输错次数太多" in error_of(resumed.get_data(as_text=True), "code")
    assert attendance_of(volunteer) is None
