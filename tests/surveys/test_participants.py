"""参与同学签到: the host opens a check-in for each event day and shows its rotating code; any active
student who is signed in and enters or scans it is recorded once for the day, without signing up.
Hosts and staff see how many came each day, never who."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import AccountKind, AccountStatus
from marketplace.audit import AuditEntry
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.hosting import participants
from marketplace.hosting.models import ParticipantCheckin, ParticipantDay
from marketplace.surveys import operations as surveys
from marketplace.volunteers.attendance import checkin_code as shift_code
from tests import factories
from tests.surveys.helpers import REPORT
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import error_of, signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def day(world):
    opened = participants.open_today(world.host, world.project)
    db.session.commit()
    return opened


def checked_in(day) -> int:
    return db.session.scalar(select(func.count()).where(ParticipantCheckin.day_id == day.id))


def check_in(student, day, code=None):
    participants.check_in(student, day, {"code": code or participants.checkin_code(day)})
    db.session.commit()


def test_a_student_checks_in_with_the_code_once_a_day_without_signing_up(world, day):
    student = factories.user()
    check_in(student, day)

    with pytest.raises(DomainError, match="你今天已经签到过了"):
        check_in(student, day)
    assert checked_in(day) == 1


def test_the_database_holds_one_check_in_per_student_and_day(world, day):
    student = factories.user()
    check_in(student, day)
    db.session.add(ParticipantCheckin(day_id=day.id, user_id=student.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_next_day_needs_a_check_in_of_its_own(world, day, clock):
    student = factories.user()
    check_in(student, day)
    clock.shift(timedelta(days=1))

    with pytest.raises(DomainError, match="这场活动今天没有开放签到"):
        check_in(student, day)
    tomorrow = participants.open_today(world.host, world.project)
    db.session.commit()
    check_in(student, tomorrow)
    assert [checked_in(day), checked_in(tomorrow)] == [1, 1]


def test_opening_today_twice_opens_one_day(world, day):
    again = participants.open_today(world.host, world.project)
    db.session.commit()
    assert again.id == day.id
    assert db.session.scalar(select(func.count()).select_from(ParticipantDay)) == 1


def test_only_the_host_opens_a_day(app, world):
    for outsider in (world.staff, world.manager_b, factories.user()):
        response = signed_in(app, outsider).post(f"/hosting/projects/{world.project.id}/participant-days")
        assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(ParticipantDay)) == 0


def test_a_wrong_code_a_shifts_code_and_an_old_code_are_refused(world, day, clock):
    student = factories.user()
    shift = world.shift(world.position())
    old = participants.checkin_code(day)
    clock.shift(timedelta(minutes=5))
    messages = []
    for code in ("000000", shift_code(shift), old):
        with pytest.raises(DomainError) as refused:
            check_in(student, day, code)
        messages.append(refused.value.message)
    assert messages[0].startswith("签到码不对") and "本场活动" in messages[0]
    assert messages[1].startswith("签到码不对")
    assert messages[2].startswith("签到码已过期")
    assert checked_in(day) == 0


def test_a_graduate_and_a_faculty_member_cannot_check_in(world, day):
    for person in (factories.user(status=AccountStatus.GRADUATED), factories.user(kind=AccountKind.FACULTY)):
        with pytest.raises(DomainError, match="只有在校学生可以签到"):
            check_in(person, day)
    assert checked_in(day) == 0


def test_check_in_closes_with_the_project_s_hosting(world, day):
    student = factories.user()
    surveys.prepare_for_project(world.project)
    hosting.submit_completion(world.host, world.project, REPORT)
    db.session.commit()
    with pytest.raises(DomainError, match="这场活动今天没有开放签到"):
        check_in(student, day)


def test_a_check_in_writes_no_audit_entry(world, day):
    logged = db.session.scalar(select(func.count()).select_from(AuditEntry))
    check_in(factories.user(), day)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == logged


# -- the pages ------------------------------------------------------------------------------------------


def test_the_student_s_page_checks_in_from_the_qr_code_s_link(app, world, day):
    student = factories.user()
    client = signed_in(app, student)
    code = participants.checkin_code(day)
    page = client.get(f"/attend/{day.id}?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in page

    response = client.post(f"/attend/{day.id}", data={"code": code})

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "签到成功" in page and 'data-testid="checked-in"' in page
    assert checked_in(day) == 1


def test_a_wrong_code_on_the_page_is_refused_beside_the_field(app, world, day):
    response = signed_in(app, factories.user()).post(f"/attend/{day.id}", data={"code": "000000"})
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "code").startswith("签到码不对")
    assert checked_in(day) == 0


def test_a_scan_while_signed_out_checks_in_after_the_login(app, world, day):
    student = factories.user()
    client = signed_in(app, None)
    scanned = client.get(f"/attend/{day.id}?code={participants.checkin_code(day)}")
    assert scanned.status_code == 302 and "/login?next=" in scanned.location

    client.post(scanned.location, data={"identifier": student.identifier, "password": factories.PASSWORD})
    resumed = client.get(f"/attend/{day.id}/resume")

    assert resumed.status_code == 302
    assert checked_in(day) == 1


def test_the_host_sees_how_many_checked_in_each_day_and_never_who(app, world, day):
    students = [factories.user(name=f"参与同学{i}") for i in range(3)]
    for student in students:
        check_in(student, day)
    host = signed_in(app, world.host)

    console = host.get(f"/hosting/projects/{world.project.id}").get_data(as_text=True)
    code_page = host.get(f"/hosting/participant-days/{day.id}/code").get_data(as_text=True)

    assert "已签到 3 人" in console and "已签到 3 人" in code_page
    for page in (console, code_page):
        assert not any(s.name in page or s.student_no in page for s in students)
    assert re.search(rf'data-testid="code">{participants.checkin_code(day)}<', code_page)


def test_the_staff_see_the_counts_on_the_survey_setup_page_and_never_who(app, world, day):
    students = [factories.user(name=f"参与同学{i}") for i in range(2)]
    for student in students:
        check_in(student, day)
    survey = surveys.prepare_for_project(world.project)
    db.session.commit()

    page = signed_in(app, world.staff).get(f"/surveys/{survey.id}/setup").get_data(as_text=True)

    assert "已签到 2 人" in page
    assert not any(s.name in page or s.student_no in page for s in students)


def test_nobody_but_the_host_sees_the_code_page(app, world, day):
    for outsider in (world.staff, world.manager_b, factories.user()):
        assert signed_in(app, outsider).get(f"/hosting/participant-days/{day.id}/code").status_code == 403
    assert signed_in(app, world.host).get("/hosting/participant-days/999999/code").status_code == 404
    assert signed_in(app, factories.user()).get("/attend/999999").status_code == 404
