"""Opening a term's review: who is reviewed, one survey per staff member of the new subject kind, no
invitation rows, the audience counted once, each rater told once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.notify.models import Notification, OutboxMessage
from marketplace.staff_review import operations
from marketplace.surveys.models import SubjectKind, Survey, SurveyInvitation
from tests.bids.helpers import signed_in
from tests.staff_review.helpers import StaffWorld


def test_the_staff_under_review_are_the_unions_active_members_on_the_opening_day(app, clock):
    world = StaffWorld(staff=3)
    review = world.open()
    assert [r.user_id for r in review.reviewees] == [s.id for s in world.staff]
    assert world.former.id not in {r.user_id for r in review.reviewees}
    assert world.future.id not in {r.user_id for r in review.reviewees}
    assert review.reviewees[0].title == "负责人"  # the manager first, with their post


def test_each_staff_member_gets_one_open_survey_of_their_term_and_nobody_an_invitation_row(app, clock):
    world = StaffWorld(staff=3)
    review = world.open()
    surveys = db.session.scalars(select(Survey).where(Survey.staff_review_id == review.id)).all()
    assert {s.staff_user_id for s in surveys} == {s.id for s in world.staff}
    assert {s.kind for s in surveys} == {SubjectKind.STAFF_TERM}
    assert all(s.closes_at == review.closes_at and s.min_responses >= 5 for s in surveys)
    assert [d.label for d in surveys[0].dimensions] == ["履职尽责", "服务同学", "工作作风", "团结协作"]
    assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 0


def test_the_audience_is_counted_once_at_opening_those_served_and_the_staff(app, clock):
    world = StaffWorld(staff=3)
    review = world.open()
    # The school union serves its active undergraduates: the two in the colleges, the three staff and
    # the former and future members (students too) — not the master's or doctoral student, not the
    # graduated or deactivated, not the teachers.
    assert review.audience_size == 2 + 3 + 2


def test_every_rater_is_told_once_and_the_staff_are_asked_for_their_report(app, clock):
    world = StaffWorld(staff=3)
    review = world.open()
    invited = dict(
        db.session.execute(
            select(Notification.user_id, func.count())
            .where(Notification.kind == "staff_review.invited")
            .group_by(Notification.user_id)
        ).all()
    )
    assert len(invited) == review.audience_size and set(invited.values()) == {1}
    assert world.master_a.id not in invited
    mailed = select(func.count()).where(OutboxMessage.kind == "staff_review.invited")
    assert db.session.scalar(mailed) == 0, "a whole student body is told in the app, not mailed one by one"
    asked = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "staff_review.report_requested")
    ).all()
    assert sorted(asked) == sorted(s.id for s in world.staff)


def test_a_union_is_reviewed_once_a_term(app, clock):
    world = StaffWorld()
    world.open()
    with pytest.raises(DomainError, match="已经发起过"):
        world.open()


def test_only_a_union_with_staff_and_a_window_ahead_can_be_opened(app, clock):
    world = StaffWorld()
    with pytest.raises(DomainError, match="截止时间"):
        world.open(closes_in=timedelta(minutes=-1))
    with pytest.raises(DomainError, match="没有在任的工作人员"):
        world.open(world.graduate_union)


def test_only_the_league_reviewer_opens_a_review(app, clock):
    world = StaffWorld()
    data = {
        "union": world.school_union.id,
        "term": world.term.id,
        "closes_at": clock.now() + timedelta(days=3),
    }
    with pytest.raises(Forbidden):
        operations.open_review(world.staff[0], data)


def test_the_league_reviewer_opens_a_review_through_the_form(app, clock):
    world = StaffWorld()
    client = signed_in(app, world.reviewer)
    page = client.get("/staff-reviews/new")
    assert page.status_code == 200
    response = client.post(
        "/staff-reviews/new",
        data={"union": world.school_union.id, "term": world.term.id, "closes_at": "2026-03-16T18:00"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    refused = client.post(
        "/staff-reviews/new",
        data={"union": world.school_union.id, "term": world.term.id, "closes_at": "2026-03-16T18:00"},
    )
    assert refused.status_code == 422
    assert "已经发起过" in refused.get_data(as_text=True)
