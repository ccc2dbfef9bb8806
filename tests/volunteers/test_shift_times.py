"""A shift's times through the host's form: once it has begun only its end may be extended; before
that it may not move into the past, a move tells each accepted volunteer (who may then cancel past the
cut-off) and is refused when it would put one of them on overlapping shifts; the credited hours never
exceed the shift's length."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.audit import AuditEntry
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.volunteers import attendance, signups, tasks
from marketplace.volunteers.models import Shift, Signup, SignupStatus
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import error_of, shift_form, signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def staffed(world):
    """A two-hour shift in three days with one accepted volunteer."""
    shift = world.shift(world.position(title="迎新引导"), capacity=2, starts_in=timedelta(days=3))
    volunteer = world.students(1, name="周小舟")[0]
    world.sign_up(volunteer, shift)
    return world, shift, volunteer


def edit(app, world, shift, starts, ends, **overrides):
    return signed_in(app, world.host).post(
        f"/hosting/shifts/{shift.id}/edit", data=shift_form(starts, ends, **{"capacity": "2", **overrides})
    )


def fresh(shift) -> Shift:
    db.session.expire_all()
    return db.session.get(Shift, shift.id)


def test_once_a_shift_has_started_only_its_end_may_be_extended(app, staffed, clock):
    world, shift, _ = staffed
    starts, ends = shift.starts_at, shift.ends_at
    clock.set(starts + timedelta(minutes=30))

    earlier = edit(app, world, shift, starts - timedelta(days=1), ends - timedelta(days=1))
    assert earlier.status_code == 422
    assert error_of(earlier.get_data(as_text=True), "starts_at") == "班次已经开始，不能再改开始时间。"
    shorter = edit(app, world, shift, starts, ends - timedelta(hours=1), credit_hours="1")
    assert shorter.status_code == 422
    assert error_of(shorter.get_data(as_text=True), "ends_at") == "班次已经开始，只能延后结束时间。"
    assert (fresh(shift).starts_at, fresh(shift).ends_at) == (starts, ends)

    assert edit(app, world, shift, starts, ends + timedelta(hours=1)).status_code == 302
    assert fresh(shift).ends_at == ends + timedelta(hours=1)
    # Running over is not a move: nobody is told, nobody may now cancel.
    assert db.session.scalar(select(Signup.moved_at).where(Signup.shift_id == shift.id)) is None
    assert not db.session.scalars(
        select(Notification).where(Notification.kind == "volunteer.shift_moved")
    ).all()


def test_a_shift_with_a_recorded_check_in_cannot_be_moved_into_the_past(app, staffed, clock):
    world, shift, volunteer = staffed
    clock.set(shift.starts_at - timedelta(minutes=10))  # early check-in
    attendance.check_in_or_out(volunteer, shift, {"code": attendance.checkin_code(shift)})
    db.session.commit()
    past = clock.now() - timedelta(days=2)
    response = edit(app, world, shift, past, past + timedelta(hours=2))
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "starts_at") == "班次已经开始，不能再改开始时间。"
    assert fresh(shift).starts_at > clock.now()


def test_a_future_shift_cannot_be_moved_into_the_past(app, staffed, clock):
    world, shift, _ = staffed
    past = clock.now() - timedelta(hours=3)
    response = edit(app, world, shift, past, past + timedelta(hours=2))
    assert response.status_code == 422
    assert "开始时间不能早于现在" in error_of(response.get_data(as_text=True), "starts_at")
    assert not fresh(shift).is_backfill


def test_moving_a_shift_tells_each_accepted_volunteer_who_may_then_cancel_past_the_cut_off(app, world, clock):
    shift = world.shift(world.position(), capacity=1, starts_in=timedelta(days=3))
    accepted, waiting = world.students(2)
    world.sign_up(accepted, shift)
    world.sign_up(waiting, shift)
    later = shift.starts_at + timedelta(hours=5)
    assert edit(app, world, shift, later, later + timedelta(hours=2), capacity="1").status_code == 302

    told = db.session.scalars(select(Notification).where(Notification.kind == "volunteer.shift_moved")).all()
    assert [n.user_id for n in told] == [accepted.id]
    assert "可在班次开始前取消报名，不计入诚信记录" in told[0].body
    moved = db.session.scalar(select(Signup).where(Signup.user_id == accepted.id))
    assert moved.moved_at == clock.now()

    clock.set(later - timedelta(hours=2))  # well inside the 24-hour cut-off
    student = signed_in(app, accepted)
    page = student.get(f"/volunteer/shifts/{shift.id}").get_data(as_text=True)
    assert 'data-testid="moved"' in page and "取消报名" in page
    assert student.post(f"/volunteer/shifts/{shift.id}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(Signup, moved.id).status == SignupStatus.CANCELLED
    assert signups.blocked_until(accepted) is None
    # The freed seat went on, close to the shift, as an offer.
    offered = db.session.scalar(select(Signup).where(Signup.user_id == waiting.id))
    assert offered.status == SignupStatus.OFFERED


def test_a_volunteer_whose_shift_did_not_move_still_cannot_cancel_past_the_cut_off(world, clock):
    shift = world.shift(world.position(), starts_in=timedelta(days=3))
    student = world.students(1)[0]
    signup = world.sign_up(student, shift)
    clock.set(shift.starts_at - timedelta(hours=2))
    with pytest.raises(DomainError, match="不能取消"):
        signups.cancel(student, signup)


def test_a_moved_volunteer_may_not_cancel_once_the_shift_has_started(world, clock):
    shift = world.shift(world.position(), starts_in=timedelta(days=3))
    student = world.students(1)[0]
    signup = world.sign_up(student, shift)
    signup.moved_at = clock.now()
    db.session.commit()
    clock.set(shift.starts_at)
    with pytest.raises(DomainError, match="不能取消"):
        signups.cancel(student, signup)


def test_signing_up_again_after_a_move_no_longer_excuses_a_late_cancel(world, clock):
    shift = world.shift(world.position(), starts_in=timedelta(days=3))
    student = world.students(1)[0]
    signup = world.sign_up(student, shift)
    signup.moved_at = clock.now()
    db.session.commit()
    signups.cancel(student, signup)
    db.session.commit()
    again = world.sign_up(student, shift)
    assert again.moved_at is None
    assert signups.cancel_closes_at(again) == signups.cancel_cutoff(shift)


def test_a_move_that_would_overlap_an_accepted_volunteers_other_shift_is_refused_naming_them(
    app, staffed, clock
):
    world, shift, volunteer = staffed
    other = world.shift(world.position(title="闭幕式"), starts_in=timedelta(days=4))
    world.sign_up(volunteer, other)
    response = edit(
        app, world, shift, other.starts_at + timedelta(hours=1), other.ends_at + timedelta(hours=1)
    )
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "starts_at") == (
        "以下已录用的志愿者在新的时间另有报名的班次：周小舟。请先与他们协调。"
    )
    assert fresh(shift).starts_at == clock.now() + timedelta(days=3)
    assert not db.session.scalars(
        select(Notification).where(Notification.kind == "volunteer.shift_moved")
    ).all()


def test_the_credit_ceiling_cannot_exceed_the_shifts_length(app, world):
    position = world.position()
    starts = world.project.bid_deadline + timedelta(days=30)
    response = signed_in(app, world.host).post(
        f"/hosting/positions/{position.id}/shifts/new",
        data=shift_form(starts, starts + timedelta(minutes=90), credit_hours="2"),
    )
    assert response.status_code == 422
    assert (
        error_of(response.get_data(as_text=True), "credit_hours")
        == "认定时长不能超过班次的时长（1.5 小时）。"
    )
    assert db.session.scalar(select(Shift)) is None
    assert (
        signed_in(app, world.host)
        .post(
            f"/hosting/positions/{position.id}/shifts/new",
            data=shift_form(starts, starts + timedelta(minutes=90), credit_hours="1.5"),
        )
        .status_code
        == 302
    )


def test_saving_a_started_shift_with_its_times_unchanged_keeps_them_and_changes_the_rest(app, staffed, clock):
    world, shift, _ = staffed
    # Stored to the second; the form shows and sends the minute.
    shift.starts_at += timedelta(seconds=42)
    shift.ends_at += timedelta(seconds=42)
    db.session.commit()
    starts, ends = shift.starts_at, shift.ends_at
    clock.set(starts + timedelta(minutes=5))
    response = edit(app, world, shift, starts, ends, place="体育馆南门")
    assert response.status_code == 302
    saved = fresh(shift)
    assert (saved.starts_at, saved.ends_at, saved.place) == (starts, ends, "体育馆南门")


def test_a_move_before_the_start_sends_the_day_before_reminder_again(app, staffed, clock):
    world, shift, volunteer = staffed
    clock.set(shift.starts_at - timedelta(hours=20))
    assert tasks.send_shift_reminders() == 1
    db.session.commit()
    later = shift.starts_at + timedelta(days=2)
    assert edit(app, world, shift, later, later + timedelta(hours=2)).status_code == 302
    clock.set(later - timedelta(hours=20))
    assert tasks.send_shift_reminders() == 1
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "shift.save").order_by(AuditEntry.id.desc())
    ).first()
    assert entry.before["starts_at"] != entry.after["starts_at"]
