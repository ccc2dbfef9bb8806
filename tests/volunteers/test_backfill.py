"""补登班次: a shift created with its start already past records an activity already held. Nobody signs
up for it; the host enters who took part by 学号 (attendance marked by hand), confirms it, and the
credit records carry the 补登 mark the verifier sees. And attendance is marked by hand only from a
shift's start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.credits.models import CreditRecord
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.volunteers import attendance, backfill, queries, signups
from marketplace.volunteers.models import Shift, Signup, SignupStatus
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import error_of, shift_form, signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def held(world, clock):
    """A 补登 shift: yesterday afternoon's activity, entered today (three hours, credited up to 3)."""
    shift = world.shift(
        world.position(title="社区义诊"), capacity=3, starts_in=timedelta(days=-1), hours=3, credit_hours="3"
    )
    return world, shift


def register_form(*numbers, reason="现场纸质签到表") -> dict:
    return {"student_nos": "\n".join(numbers), "reason": reason}


def test_a_shift_created_with_a_start_in_the_past_is_a_backfill_shift_nobody_signs_up_for(app, world, clock):
    position = world.position(title="社区义诊")
    starts = clock.now() - timedelta(days=1)
    host = signed_in(app, world.host)
    created = host.post(
        f"/hosting/positions/{position.id}/shifts/new", data=shift_form(starts, starts + timedelta(hours=3))
    )
    shift = db.session.scalar(select(Shift))
    assert shift.is_backfill
    assert created.status_code == 302 and created.location.endswith(f"/hosting/shifts/{shift.id}/roster")

    student = signed_in(app, world.students(1)[0])
    page = student.get(f"/volunteer/shifts/{shift.id}").get_data(as_text=True)
    assert "补登班次" in page and f"/volunteer/shifts/{shift.id}/signup" not in page
    project_page = student.get(f"/projects/{world.project.id}/volunteer").get_data(as_text=True)
    assert "补登，不接受报名" in project_page
    refused = student.post(f"/volunteer/shifts/{shift.id}/signup")
    assert refused.status_code == 422
    assert "补登班次" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Signup)) is None


def test_a_shift_created_ahead_is_not_a_backfill_shift(world):
    shift = world.shift(world.position(), starts_in=timedelta(hours=1))
    assert not shift.is_backfill


def test_signing_up_for_a_backfill_shift_is_refused_even_while_it_runs(held, clock):
    world, shift = held
    shift.ends_at = clock.now() + timedelta(hours=2)  # entered while it was still under way
    db.session.commit()
    with pytest.raises(DomainError, match="补登班次"):
        signups.sign_up(world.students(1)[0], shift)


def test_the_host_registers_who_took_part_by_student_number_and_their_credits_carry_the_mark(
    app, held, clock
):
    world, shift = held
    first, second = world.students(2)
    host = signed_in(app, world.host)
    roster = host.get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)
    assert "登记参加的同学" in roster and "显示签到码" not in roster

    unknown = host.post(
        f"/hosting/shifts/{shift.id}/register", data=register_form(first.student_no, "20990000")
    )
    assert unknown.status_code == 422
    assert "以下学号没有对应的学生：20990000" in error_of(unknown.get_data(as_text=True), "student_nos")
    no_reason = host.post(
        f"/hosting/shifts/{shift.id}/register", data=register_form(first.student_no, reason="")
    )
    assert no_reason.status_code == 422 and error_of(no_reason.get_data(as_text=True), "reason")

    numbers = f"{first.student_no}，{second.student_no}"
    assert host.post(f"/hosting/shifts/{shift.id}/register", data=register_form(numbers)).status_code == 302
    again = host.post(
        f"/hosting/shifts/{shift.id}/register", data=register_form(first.student_no), follow_redirects=True
    )
    assert "已登记 0 名同学" in again.get_data(as_text=True)
    seated = queries.roster(shift)
    assert {s.user_id for s in seated} == {first.id, second.id}
    assert {s.status for s in seated} == {SignupStatus.ACCEPTED}
    marked = seated[0].attendance
    assert (marked.checked_in_at, marked.checked_out_at) == (shift.starts_at, shift.ends_at)
    assert marked.marked_by_id == world.host.id and marked.mark_reason == "现场纸质签到表"
    db.session.refresh(shift)
    assert shift.taken == 2

    assert host.post(f"/hosting/shifts/{shift.id}/confirm").status_code == 302
    records = db.session.scalars(select(CreditRecord)).all()
    assert len(records) == 2 and all(r.is_backfill for r in records)
    queue = signed_in(app, world.reviewer).get("/credits/verify").get_data(as_text=True)
    assert queue.count('data-testid="backfill"') == 2
    mine = records[0] if records[0].user_id == first.id else records[1]
    history = signed_in(app, first).get(f"/transcript/records/{mine.public_id}").get_data(as_text=True)
    assert 'data-testid="backfill"' in history


def test_credit_records_of_an_ordinary_shift_carry_no_backfill_mark(app, world, clock):
    shift = world.shift(world.position(), starts_in=timedelta(days=1))
    student = world.students(1)[0]
    world.sign_up(student, shift)
    clock.set(shift.starts_at)
    attendance.check_in_or_out(student, shift, {"code": attendance.checkin_code(shift)})
    clock.set(shift.ends_at)
    attendance.check_in_or_out(student, shift, {"code": attendance.checkin_code(shift)})
    clock.shift(timedelta(minutes=5))
    attendance.confirm_attendance(world.host, shift)
    db.session.commit()
    assert db.session.scalar(select(CreditRecord.is_backfill)) is False
    assert 'data-testid="backfill"' not in signed_in(app, world.reviewer).get("/credits/verify").get_data(
        as_text=True
    )


def test_only_a_backfill_shift_takes_volunteers_by_student_number(world):
    shift = world.shift(world.position(), starts_in=timedelta(days=1))
    with pytest.raises(DomainError, match="只有补登班次"):
        backfill.register(world.host, shift, {"students": world.students(1), "reason": "签到表"})


def test_registering_beyond_the_capacity_is_refused_and_registers_nobody(held):
    world, shift = held
    with pytest.raises(DomainError, match="超出班次的人数上限（3 人）"):
        backfill.register(world.host, shift, {"students": world.students(4), "reason": "签到表"})
    db.session.rollback()
    assert queries.roster(shift) == []


def test_a_student_on_an_overlapping_shift_is_refused_by_name(held, clock):
    world, shift = held
    busy = world.students(1, name="钱多多")[0]
    backfill.register(
        world.host,
        world.shift(
            world.position(title="同时段的补登"),
            starts_in=timedelta(days=-1, hours=1),
            hours=1,
            credit_hours="1",
        ),
        {"students": [busy], "reason": "签到表"},
    )
    db.session.commit()
    with pytest.raises(DomainError, match="钱多多"):
        backfill.register(world.host, shift, {"students": [busy, *world.students(1)], "reason": "签到表"})


def test_only_the_host_registers_volunteers(app, held):
    world, shift = held
    student = world.students(1)[0]
    for outsider in (world.manager_b, world.staff, student):
        response = signed_in(app, outsider).post(
            f"/hosting/shifts/{shift.id}/register", data=register_form(student.student_no)
        )
        assert response.status_code == 403
    assert queries.roster(shift) == []


# -- marking attendance by hand, from the start ------------------------------------------------------------


def test_the_roster_of_a_future_shift_offers_no_attendance_marking(app, world, clock):
    shift = world.shift(world.position(), starts_in=timedelta(days=1))
    world.sign_up(world.students(1)[0], shift)
    host = signed_in(app, world.host)
    assert "补登/更正考勤" not in host.get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)
    clock.set(shift.starts_at)
    assert "补登/更正考勤" in host.get(f"/hosting/shifts/{shift.id}/roster").get_data(as_text=True)


def test_marking_attendance_before_the_shift_starts_is_refused(app, world, clock):
    shift = world.shift(world.position(), starts_in=timedelta(days=1))
    signup = world.sign_up(world.students(1)[0], shift)
    data = {"checked_in_at": shift.starts_at, "checked_out_at": shift.ends_at, "reason": "提前登记"}
    with pytest.raises(DomainError, match="开始后才能登记考勤"):
        attendance.mark_attendance(world.host, signup, data)
    prefix = f"m{signup.id}-"
    response = signed_in(app, world.host).post(
        f"/hosting/signups/{signup.public_id}/attendance",
        data={prefix + "checked_in_at": "2026-03-17T10:00", prefix + "reason": "提前登记"},
    )
    assert response.status_code == 422
    assert "开始后才能登记考勤" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Signup, signup.id).attendance is None
