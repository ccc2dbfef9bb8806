"""The raters' reminder: once, three days before the window closes, in the app only, to everyone who
may rate and has not rated every staff member yet (but themselves) — moved by the clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.notify.models import Notification, OutboxMessage
from marketplace.projects.tasks import tick
from marketplace.staff_review import operations, tasks
from marketplace.surveys import tasks as survey_tasks
from marketplace.surveys.models import Survey
from tests.staff_review.helpers import StaffWorld


@pytest.fixture
def world(app, clock):
    return StaffWorld(staff=3)


def reminded() -> list[int]:
    return sorted(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == "staff_review.reminder"))
    )


def test_those_still_to_rate_someone_are_reminded_once_three_days_before_the_close(world, clock):
    review = world.open()
    first, second, third = world.staff
    for staff in world.staff:
        world.rate(review, world.undergraduate_a, staff)  # done: everyone
    world.rate(review, first, second)
    world.rate(review, first, third)  # done: everyone but themselves
    world.rate(review, second, first)  # one of two
    world.rate(review, world.undergraduate_b, third)  # one of three
    everyone = set(db.session.scalars(operations.raters(review)))
    waiting = sorted(everyone - {world.undergraduate_a.id, first.id})
    assert {second.id, third.id, world.undergraduate_b.id} <= set(waiting)

    clock.set(review.closes_at - timedelta(days=3, seconds=1))
    assert tasks.send_reminders() == 0
    clock.shift(timedelta(seconds=1))
    assert tasks.send_reminders() == len(waiting)
    assert tasks.send_reminders() == 0
    clock.shift(timedelta(days=1))
    assert tasks.send_reminders() == 0

    assert reminded() == waiting
    assert world.master_a.id not in waiting and world.graduated.id not in waiting
    link = db.session.scalar(select(Notification.link).where(Notification.kind == "staff_review.reminder"))
    assert link == f"/staff-reviews/{review.id}/rate"
    mail = (
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "staff_review.reminder")
    )
    assert db.session.scalar(mail) == 0  # a student body is told in the app only


def test_a_review_open_less_than_three_days_sends_no_reminder(world, clock):
    review = world.open(closes_in=timedelta(days=2))
    clock.set(review.closes_at - timedelta(days=1))
    assert tasks.send_reminders() == 0
    assert reminded() == []


def test_a_closed_review_sends_no_reminder(world, clock):
    review = world.open()
    world.close(review)
    assert tasks.send_reminders() == 0


def test_the_tick_sends_them(world, clock):
    review = world.open()
    clock.set(review.closes_at - timedelta(days=2))
    assert tick()["staff_review_reminders"] == len(set(db.session.scalars(operations.raters(review))))


def test_the_survey_reminder_leaves_a_staff_members_term_to_its_reviews_reminder(world, clock):
    review = world.open()
    clock.set(review.closes_at - timedelta(days=2))
    assert survey_tasks.send_reminders() == 0
    claimed = select(func.count()).where(Survey.staff_review_id == review.id, Survey.reminded_at.is_not(None))
    assert db.session.scalar(claimed) == 0
