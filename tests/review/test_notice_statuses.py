"""The award notice's and the objection's status tables: every action from every status, and the
notice's entries when the review takes its course."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.extensions import db
from marketplace.projects import lifecycle
from marketplace.review import operations as review
from marketplace.review.models import AwardNotice, Objection, ObjectionStatus, ReviewRound
from marketplace.review.operations import (
    NOTICE_TRANSITIONS,
    NOTICES,
    OBJECTION_TRANSITIONS,
    OBJECTIONS,
    move_notice,
    move_objection,
)
from tests import factories
from tests.review.helpers import ReviewWorld, awarded
from tests.statuses import check_action, last_entry


@pytest.fixture
def world(app):
    return ReviewWorld()


@pytest.fixture
def notice(world, clock):
    """A notice recorded as it stands; the award that publishes one is tested in test_review_rules."""
    round_ = ReviewRound(project_id=world.project.id, number=1, opened_at=clock.now())
    db.session.add(round_)
    db.session.flush()
    notice = AwardNotice(
        project_id=world.project.id,
        round_id=round_.id,
        number=1,
        bid_id=world.bid_a.id,
        ranking=[],
        published_at=clock.now(),
        window_ends_at=clock.now() + timedelta(days=7),
    )
    db.session.add(notice)
    db.session.commit()
    return notice


def _put_in(obj, status) -> None:
    obj.status = status
    db.session.commit()


@pytest.mark.parametrize("action", NOTICE_TRANSITIONS)
def test_each_notice_action_moves_from_its_sources_and_is_refused_from_every_other(action, world, notice):
    check_action(NOTICES, action, notice, _put_in, move_notice, world.staff, reason="理由见处理意见")


@pytest.mark.parametrize("action", OBJECTION_TRANSITIONS)
def test_each_objection_action_moves_from_its_sources_and_is_refused_from_every_other(
    action, world, notice, clock
):
    objection = Objection(
        notice_id=notice.id, student_id=factories.user().id, reason="评分有疑问", created_at=clock.now()
    )
    db.session.add(objection)
    db.session.commit()

    def put_in(objection, status):
        objection.status = status
        ruled = status != ObjectionStatus.PENDING
        objection.ruling, objection.ruled_at = ("已答复", clock.now()) if ruled else (None, None)
        db.session.commit()

    check_action(OBJECTIONS, action, objection, put_in, move_objection, world.reviewer, reason="评分记录完整")


def test_an_upheld_objection_supersedes_the_notice_with_the_ruling_on_record(app, clock):
    world = awarded(ReviewWorld())
    objection = review.object_to(factories.user(), world.project, {"reason": "评分标准执行不一致"})
    db.session.commit()
    review.rule_on(world.reviewer, objection, {"uphold": True, "ruling": "一位评议人漏评，重新评审"})
    db.session.commit()
    upheld, superseded = last_entry("objection.uphold"), last_entry("notice.supersede")
    assert (upheld.actor_id, upheld.reason) == (world.reviewer.id, "一位评议人漏评，重新评审")
    assert (superseded.before, superseded.after) == ({"status": "active"}, {"status": "superseded"})


def test_the_notice_becomes_final_by_the_clock_when_hosting_starts(app, clock):
    world = awarded(ReviewWorld())
    clock.set(review.active_notice(world.project).window_ends_at + timedelta(minutes=1))
    lifecycle.run_due_transitions()
    entry = last_entry("notice.finalize")
    assert entry.actor_id is None
    assert entry.after == {"status": "final"}
