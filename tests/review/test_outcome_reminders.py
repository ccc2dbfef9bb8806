"""Who hears what on the outcome panel (成效评估): the invitation, the staff's reminder by hand, and the
clock's reminder ``outcome_reminder_days`` (3) before the evaluation window ends — once, only to
those who have not submitted, however often or by however many workers the periodic step runs."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from marketplace import settings
from marketplace.extensions import db
from marketplace.projects.tasks import tick
from marketplace.review import operations as review
from marketplace.review.outcome import OUTCOME_PANEL, send_reminders
from tests.bids.helpers import signed_in
from tests.review.helpers import OutcomeWorld
from tests.review.test_review_notifications import received


@pytest.fixture
def world(app):
    world = OutcomeWorld()
    world.seat()
    world.score(world.evaluators[0], 80, submit=True)
    return world


def reminders(world) -> list[int]:
    return [len(received(e, "review.reminder")) for e in world.evaluators]


def test_outcome_panelists_are_invited_to_the_outcome_panel_with_its_deadline(world):
    (invitation,) = received(world.evaluators[1], "review.panel_assigned")
    assert invitation.title == f"请参加成效评估：{world.project.title}"
    assert "声明与承办方无利益冲突" in invitation.body and "评价期至" in invitation.body
    assert invitation.link == f"/review/projects/{world.project.id}/outcome"


def test_those_who_have_not_submitted_are_reminded_once_three_days_before_the_window_ends(world, clock):
    ends = world.project.evaluation_ends_at
    clock.set(ends - timedelta(days=3, seconds=1))
    assert tick()["outcome_reminders"] == 0

    clock.set(ends - timedelta(days=3))
    assert tick()["outcome_reminders"] == 2
    assert reminders(world) == [0, 1, 1]  # the first panelist has submitted
    (reminder,) = received(world.evaluators[1], "review.reminder")
    assert reminder.title == f"成效评估评分提醒：{world.project.title}" and "评价期至" in reminder.body
    assert reminder.link == f"/review/projects/{world.project.id}/outcome"

    clock.shift(timedelta(hours=1))
    assert tick()["outcome_reminders"] == 0
    clock.set(ends - timedelta(seconds=1))
    assert tick()["outcome_reminders"] == 0
    assert reminders(world) == [0, 1, 1]


def test_the_days_ahead_follow_the_setting(world, clock, admin):
    settings.put("outcome_reminder_days", 5, admin)
    db.session.commit()
    clock.set(world.project.evaluation_ends_at - timedelta(days=5))
    assert send_reminders() == 2


def test_nobody_is_reminded_once_the_window_has_ended(world, clock):
    clock.set(world.project.evaluation_ends_at)
    assert tick()["outcome_reminders"] == 0
    assert reminders(world) == [0, 0, 0]


def test_a_panelist_the_staff_reminded_within_the_last_days_is_not_reminded_again(app, world, clock):
    ends = world.project.evaluation_ends_at
    world.score(world.evaluators[2], 70, submit=True)
    clock.set(ends - timedelta(days=2))
    response = signed_in(app, world.staff).post(f"/review/projects/{world.project.id}/outcome/remind")
    assert response.status_code == 302
    assert reminders(world) == [0, 1, 0]
    assert send_reminders() == 0
    assert reminders(world) == [0, 1, 0]


def test_a_panelist_reminded_by_hand_long_before_is_reminded_again_near_the_end(world, clock):
    review.remind(world.staff, world.project, OUTCOME_PANEL)
    db.session.commit()
    assert reminders(world) == [0, 1, 1]
    clock.set(world.project.evaluation_ends_at - timedelta(days=3))
    assert send_reminders() == 2
    assert reminders(world) == [0, 2, 2]


@pytest.mark.postgres
@pytest.mark.commits  # each worker runs on a connection of its own
def test_two_workers_at_once_remind_each_panelist_once(app, clock):
    world = OutcomeWorld()
    world.seat()
    clock.set(world.project.evaluation_ends_at - timedelta(days=3))
    barrier = threading.Barrier(2)
    sent, errors = [], []

    def worker():
        with app.app_context():
            try:
                barrier.wait()
                sent.append(send_reminders())
            except Exception as error:  # pragma: no cover - surfaced below
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sum(sent) == 3
    db.session.expire_all()
    assert reminders(world) == [1, 1, 1]
