"""The survey follows the project: prepared when hosting starts, opened when the project enters 评价中
for those who took part — the volunteers whose attendance the host confirmed and the students who
checked in — who are told in the app and by mail; reminded once, three days before it closes; closed
with the project if that comes first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace import clock, settings
from marketplace.accounts.models import AccountStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification, OutboxMessage
from marketplace.projects import lifecycle
from marketplace.projects.tasks import tick
from marketplace.surveys import operations as surveys
from marketplace.surveys import tasks
from marketplace.surveys.models import SurveyStatus
from marketplace.volunteers import attendance
from tests.isolation import in_this_session, shared_world
from tests.review.helpers import ReviewWorld, awarded
from tests.surveys.helpers import DEFAULT_LABELS, SurveyWorld


def notified(kind: str) -> list[int]:
    return sorted(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def mailed(kind: str) -> list[int]:
    return sorted(db.session.scalars(select(OutboxMessage.user_id).where(OutboxMessage.kind == kind)))


@shared_world(scope="module")
def with_outsiders(app):
    world = SurveyWorld(volunteers=2, participants=2)
    # Not invited: a volunteer accepted on a shift whose attendance the host has not confirmed, one
    # who never came, and a participant who has graduated since.
    shift = world.shift(world.position(), capacity=2, starts_in=timedelta(hours=1))
    world.unconfirmed, world.absent = world.students(2)
    world.sign_up(world.unconfirmed, shift)
    world.sign_up(world.absent, shift)
    clock.set(shift.starts_at)
    attendance.check_in_or_out(world.unconfirmed, shift, {"code": attendance.checkin_code(shift)})
    db.session.commit()
    world.graduate = world.students(1)[0]
    world.check_in(world.graduate)
    world.graduate.status = AccountStatus.GRADUATED
    db.session.commit()
    return world


@pytest.fixture
def world(with_outsiders):
    return in_this_session(with_outsiders)


def test_the_survey_is_prepared_with_the_default_dimensions_when_hosting_starts(app, clock):
    world = awarded(ReviewWorld())
    notice_over = world.project.bid_deadline + timedelta(days=30)
    clock.set(notice_over)

    lifecycle.catch_up(world.project)
    db.session.commit()

    survey = surveys.survey_of(world.project)
    assert survey.status == SurveyStatus.PREPARED
    assert [d.label for d in survey.dimensions] == DEFAULT_LABELS


def test_those_invited_are_exactly_the_confirmed_volunteers_and_the_checked_in_participants(world):
    survey = world.evaluate()

    expected = {s.id for s in world.volunteers} | {s.id for s in world.participants}
    assert world.invited() == expected
    assert len(expected) == 4  # the first participant volunteered too: invited once
    assert survey.status == SurveyStatus.OPEN


def test_each_invited_student_hears_in_the_app_and_by_mail(world):
    world.evaluate()
    invited = sorted(world.invited())
    assert notified("survey.invited") == invited
    assert mailed("survey.invited") == invited


def test_the_survey_opens_until_the_evaluation_window_ends_with_k_from_the_setting(world, admin, clock):
    settings.put("survey_min_responses", 7, admin)
    db.session.commit()

    survey = world.evaluate()

    assert survey.opens_at == clock.now()
    assert survey.closes_at == world.project.evaluation_ends_at
    assert survey.min_responses == 7


def test_k_stays_what_it_was_when_the_survey_opened(world, admin):
    survey = world.evaluate()
    settings.put("survey_min_responses", 9, admin)
    db.session.commit()
    db.session.refresh(survey)
    assert survey.min_responses == 5


def test_the_reminder_goes_once_three_days_before_the_close_to_those_who_have_not_answered(world, clock):
    survey = world.evaluate()
    world.answer_all(world.volunteers[:1])
    clock.set(survey.closes_at - timedelta(days=3, seconds=1))
    assert tasks.send_reminders() == 0

    clock.shift(timedelta(seconds=1))
    assert tasks.send_reminders() == 3
    assert tasks.send_reminders() == 0
    clock.shift(timedelta(days=1))
    assert tasks.send_reminders() == 0

    waiting = sorted(world.invited() - {world.volunteers[0].id})
    assert notified("survey.reminder") == waiting
    assert mailed("survey.reminder") == waiting


def test_a_survey_open_less_than_three_days_sends_no_reminder(world, admin, clock):
    settings.put("evaluation_window_days", 2, admin)
    db.session.commit()
    world.evaluate()
    assert tasks.send_reminders() == 0
    assert notified("survey.reminder") == []


def test_the_tick_sends_the_reminders(world, clock):
    survey = world.evaluate()
    clock.set(survey.closes_at - timedelta(days=2))
    assert tick()["survey_reminders"] == 4


def test_closing_the_project_early_closes_the_survey(world, clock, monkeypatch):
    monkeypatch.setattr(lifecycle, "close_conditions", [])  # what it waits for: tests/evaluation
    survey = world.evaluate()
    clock.shift(timedelta(days=2))

    lifecycle.apply(world.project, "close", world.staff)
    db.session.commit()
    db.session.refresh(survey)

    assert survey.status == SurveyStatus.CLOSED
    assert survey.closes_at == clock.now()


def test_the_window_ending_with_the_project_leaves_the_survey_closed_at_its_end(world, clock):
    survey = world.evaluate()
    ends = survey.closes_at
    clock.set(ends + timedelta(minutes=1))
    lifecycle.catch_up(world.project)
    db.session.commit()
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.CLOSED
    assert survey.closes_at == ends


def test_a_survey_never_opened_keeps_nobody_invited(world):
    assert world.invited() == set()
    survey_notices = select(func.count()).where(Notification.kind.like("survey.%"))
    assert db.session.scalar(survey_notices) == 0
