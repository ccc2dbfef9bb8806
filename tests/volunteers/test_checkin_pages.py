"""Check-in through the pages: the host's live code, the student's page, refusals with their message,
and a scan made while signed out that survives the login (for ten minutes)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from marketplace.extensions import db
from marketplace.timeutil import SCHOOL_TZ
from marketplace.volunteers.attendance import checkin_code
from marketplace.volunteers.models import Attendance, Signup
from tests import factories
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def staffed(world, clock):
    shift = world.shift(world.position(), capacity=1)
    volunteer, waiting = world.students(2)
    world.sign_up(volunteer, shift)
    world.sign_up(waiting, shift)
    clock.set(shift.starts_at)
    return world, shift, volunteer, waiting


def attendance_of(student) -> Attendance | None:
    db.session.expire_all()
    return db.session.scalar(
        db.select(Attendance).join(Attendance.signup).where(Signup.user_id == student.id)
    )


def test_the_host_page_shows_the_current_code_and_a_qr_code_linking_to_the_checkin_page(app, staffed):
    world, shift, *_ = staffed
    page = signed_in(app, world.host).get(f"/hosting/shifts/{shift.id}/code").get_data(as_text=True)
    code = checkin_code(shift)
    assert re.search(rf'data-testid="code">{code}<', page)
    assert 'src="data:image/svg+xml;base64,' in page
    assert f"/checkin/{shift.id}?code={code}" in page
    assert '<meta http-equiv="refresh"' in page and "<script>" not in page


def test_first_use_of_the_code_checks_in_and_the_second_checks_out(app, staffed, clock):
    world, shift, volunteer, _ = staffed
    client = signed_in(app, volunteer)
    response = client.post(f"/checkin/{shift.id}", data={"code": checkin_code(shift)})
    assert response.status_code == 302
    assert "签到成功" in client.get(response.location).get_data(as_text=True)
    clock.shift(timedelta(hours=2))
    client.post(f"/checkin/{shift.id}", data={"code": checkin_code(shift)})
    attendance = attendance_of(volunteer)
    assert attendance.checked_in_at == shift.starts_at
    assert attendance.checked_out_at == shift.starts_at + timedelta(hours=2)


def test_the_previous_minutes_code_is_accepted(app, staffed, clock):
    world, shift, volunteer, _ = staffed
    code = checkin_code(shift)
    clock.shift(timedelta(seconds=70))
    assert signed_in(app, volunteer).post(f"/checkin/{shift.id}", data={"code": code}).status_code == 302
    assert attendance_of(volunteer) is not None


def test_a_stale_code_is_refused_as_expired(app, staffed, clock):
    world, shift, volunteer, _ = staffed
    code = checkin_code(shift)
    clock.shift(timedelta(minutes=3))
    response = signed_in(app, volunteer).post(f"/checkin/{shift.id}", data={"code": code})
    assert response.status_code == 422
    assert "签到码已过期" in response.get_data(as_text=True)
    assert attendance_of(volunteer) is None


def test_another_shifts_code_is_refused(app, staffed):
    world, shift, volunteer, _ = staffed
    other = world.shift(world.position(), starts_in=timedelta(0))
    response = signed_in(app, volunteer).post(f"/checkin/{shift.id}", data={"code": checkin_code(other)})
    assert response.status_code == 422
    assert "请确认扫描的是本班次现场展示的二维码" in response.get_data(as_text=True)


def test_a_student_not_accepted_on_the_shift_is_refused(app, staffed):
    world, shift, _, waiting = staffed
    for student in (waiting, factories.user()):
        response = signed_in(app, student).post(f"/checkin/{shift.id}", data={"code": checkin_code(shift)})
        assert response.status_code == 422
        assert "你没有被录用到这个班次，不能签到" in response.get_data(as_text=True)


def test_the_qr_link_fills_in_the_code_for_a_signed_in_student(app, staffed):
    world, shift, volunteer, _ = staffed
    code = checkin_code(shift)
    page = signed_in(app, volunteer).get(f"/checkin/{shift.id}?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in page and attendance_of(volunteer) is None  # one tap still to go


def test_a_scan_while_signed_out_survives_the_login(app, staffed, clock):
    world, shift, volunteer, _ = staffed
    client = signed_in(app, None)
    scanned = client.get(f"/checkin/{shift.id}?code={checkin_code(shift)}")
    assert scanned.status_code == 302 and "/login?next=" in scanned.location
    clock.shift(timedelta(minutes=5))  # the code has rotated since the scan
    login = client.post(
        scanned.location, data={"identifier": volunteer.identifier, "password": factories.PASSWORD}
    )
    assert login.location == f"/checkin/{shift.id}/resume"
    done = client.get(login.location)
    assert done.status_code == 302
    assert "签到成功" in client.get(done.location).get_data(as_text=True)
    assert attendance_of(volunteer).checked_in_at == shift.starts_at  # the time of the scan


def test_a_scan_older_than_ten_minutes_does_not_survive_the_login(app, staffed, clock):
    world, shift, volunteer, _ = staffed
    client = signed_in(app, None)
    scanned = client.get(f"/checkin/{shift.id}?code={checkin_code(shift)}")
    clock.shift(timedelta(minutes=11))
    client.post(scanned.location, data={"identifier": volunteer.identifier, "password": factories.PASSWORD})
    response = client.get(f"/checkin/{shift.id}/resume")
    assert response.status_code == 422
    assert "扫码已超过 10 分钟" in response.get_data(as_text=True)
    assert attendance_of(volunteer) is None


def test_a_stale_code_scanned_while_signed_out_is_refused_after_the_login(app, staffed, clock):
    world, shift, volunteer, _ = staffed
    code = checkin_code(shift)
    clock.shift(timedelta(minutes=3))
    client = signed_in(app, None)
    scanned = client.get(f"/checkin/{shift.id}?code={code}")
    assert scanned.status_code == 302  # signed out, nothing is said about the code
    client.post(scanned.location, data={"identifier": volunteer.identifier, "password": factories.PASSWORD})
    response = client.get(f"/checkin/{shift.id}/resume")
    assert response.status_code == 422
    assert "签到码已过期" in response.get_data(as_text=True)
    assert attendance_of(volunteer) is None


def test_the_host_marks_a_missing_checkout_and_confirms_the_attendance(app, staffed, clock):
    world, shift, volunteer, _ = staffed
    signed_in(app, volunteer).post(f"/checkin/{shift.id}", data={"code": checkin_code(shift)})
    clock.set(shift.ends_at + timedelta(minutes=30))
    host = signed_in(app, world.host)
    refused = host.post(f"/hosting/shifts/{shift.id}/confirm", follow_redirects=True)
    assert "以下志愿者没有签退" in refused.get_data(as_text=True)

    signup = attendance_of(volunteer).signup
    prefix = f"m{signup.id}-"
    no_reason = host.post(
        f"/hosting/signups/{signup.public_id}/attendance",
        data={prefix + "checked_in_at": "2026-03-19T10:00", prefix + "checked_out_at": "2026-03-19T12:00"},
    )
    assert no_reason.status_code == 422
    marked = host.post(
        f"/hosting/signups/{signup.public_id}/attendance",
        data={
            prefix + "checked_in_at": shift.starts_at.astimezone(SCHOOL_TZ).strftime("%Y-%m-%dT%H:%M"),
            prefix + "checked_out_at": shift.ends_at.astimezone(SCHOOL_TZ).strftime("%Y-%m-%dT%H:%M"),
            prefix + "reason": "手机没电，现场核实",
        },
    )
    assert marked.status_code == 302
    assert host.post(f"/hosting/shifts/{shift.id}/confirm").status_code == 302
    page = host.get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)
    assert "考勤已于" in page
    assert attendance_of(volunteer).credited_hours == 2
