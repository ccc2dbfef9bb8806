"""A waiting-list offer that lapses — not confirmed in time, or left when the shift ended — is the
clock's doing, not the student's: they are told, and the shift page says what happened instead of "you
cancelled"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.volunteers import signups, tasks
from marketplace.volunteers.models import Signup, SignupStatus
from tests.bids.helpers import signed_in
from tests.volunteers.helpers import HostingWorld


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def offered(world, clock):
    """One seat: the first student takes it and, close to the shift, asks for leave; the second is
    offered the seat."""
    world.shift_ = world.shift(world.position(), capacity=1, starts_in=timedelta(days=3))
    first, second = world.students(2)
    taken = world.sign_up(first, world.shift_)
    world.sign_up(second, world.shift_)
    clock.set(world.shift_.starts_at - timedelta(hours=30))
    signups.request_leave(first, taken, {"reason": "临时有考试"})
    db.session.commit()
    signup = db.session.scalar(select(Signup).where(Signup.user_id == second.id))
    assert signup.status == SignupStatus.OFFERED
    return signup


def lapse_notes(user) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(
            Notification.user_id == user.id, Notification.kind == "volunteer.offer_lapsed"
        )
    ).all()


def test_an_offer_not_confirmed_in_time_is_told_and_the_shift_page_says_it_lapsed(app, world, offered, clock):
    clock.set(offered.offer_expires_at)
    tasks.expire_offers()
    db.session.commit()

    [note] = lapse_notes(offered.user)
    assert note.link == world.shift_.url and "不计缺勤" in note.body
    page = signed_in(app, offered.user).get(world.shift_.url).get_data(as_text=True)
    assert "没有在期限内确认，已自动失效" in page and "重新报名" in page
    assert "你之前取消过报名" not in page


def test_an_offer_left_when_the_shift_ends_is_told_too(app, world, offered, clock):
    clock.set(world.shift_.ends_at)
    tasks.mark_no_shows()

    assert len(lapse_notes(offered.user)) == 1
    page = signed_in(app, offered.user).get(world.shift_.url).get_data(as_text=True)
    assert "没有在期限内确认，已自动失效" in page and "你之前取消过报名" not in page


def test_a_student_who_cancelled_is_still_told_they_cancelled(app, world, clock):
    shift = world.shift(world.position(), capacity=1, starts_in=timedelta(days=3))
    student = world.students(1)[0]
    signups.cancel(student, world.sign_up(student, shift))
    db.session.commit()

    page = signed_in(app, student).get(shift.url).get_data(as_text=True)
    assert "你之前取消过报名" in page and "自动失效" not in page
    assert lapse_notes(student) == []
