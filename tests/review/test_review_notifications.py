"""Who hears what during review and notice: panel assignment, reminders, every bidder's own result,
objections received and ruled, and hosting beginning."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace import clock
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.review import operations as review
from marketplace.review.models import Objection
from tests import factories
from tests.bids.helpers import signed_in
from tests.review.helpers import ReviewWorld, awarded


def received(user, kind: str) -> list[Notification]:
    return db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id, Notification.kind == kind)
        .order_by(Notification.id)
    ).all()


def test_panelists_hear_of_their_assignment_and_of_a_reminder(app):
    world = ReviewWorld()
    staff = signed_in(app, world.staff)
    for evaluator in world.evaluators:
        staff.post(f"/review/projects/{world.project.id}/panel", data={"user": evaluator.id})
    (invitation,) = received(world.evaluators[0], "review.panel_assigned")
    assert (
        world.project.title in invitation.title and invitation.link == f"/review/projects/{world.project.id}"
    )

    review.declare_no_conflict(world.evaluators[0], world.project)
    db.session.commit()
    world.score(world.evaluators[0], world.bid_a, 80)
    world.score(world.evaluators[0], world.bid_b, 80, submit=True)
    response = staff.post(f"/review/projects/{world.project.id}/remind")
    assert response.status_code == 302
    assert "已提醒 2 位尚未提交评分的评议人。" in staff.get(response.location).get_data(as_text=True)
    assert received(world.evaluators[0], "review.reminder") == []
    assert [len(received(e, "review.reminder")) for e in world.evaluators[1:]] == [1, 1]


def test_every_bidder_hears_its_own_rank_and_score(app):
    world = awarded(ReviewWorld())
    (won,) = received(world.manager_a, "review.award_result")
    (lost,) = received(world.manager_b, "review.award_result")
    assert "中标" in won.title and "得分 87.67" in won.body and "排名第 1" in won.body
    assert "得分 72.33" in lost.body and "排名第 2" in lost.body and "87.67" not in lost.body
    assert won.link == lost.link == f"/projects/{world.project.id}/notice"


def test_the_league_reviewer_hears_of_an_objection_and_the_student_of_its_outcome(app):
    world = awarded(ReviewWorld())
    student = factories.user()
    signed_in(app, student).post(f"/projects/{world.project.id}/notice/objections", data={"reason": "有疑问"})
    (alert,) = received(world.reviewer, "review.objection_received")
    assert alert.link == "/review/objections"

    objection = db.session.scalars(select(Objection)).one()
    signed_in(app, world.reviewer).post(
        f"/review/objections/{objection.id}/rule",
        data={f"o{objection.id}-ruling": "评分程序合规", f"o{objection.id}-dismiss": "1"},
    )
    (outcome,) = received(student, "review.objection_ruled")
    assert "不成立" in outcome.body and "评分程序合规" in outcome.body


def test_bidders_hear_that_hosting_begins(app):
    world = awarded(ReviewWorld())
    clock.set(review.active_notice(world.project).window_ends_at + timedelta(minutes=1))
    app.test_cli_runner().invoke(args=["tick"])
    for manager in (world.manager_a, world.manager_b):
        (begins,) = received(manager, "review.hosting_begins")
        assert "学业互助社" in begins.body
