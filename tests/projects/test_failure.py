"""流标: the posting union's staff hear when their project fails — at the deadline, or when the winner
declined with no bid left — and a failed project and its repost link to each other."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.projects import operations as project_ops
from marketplace.projects.models import Project, ProjectState
from marketplace.projects.tasks import tick
from marketplace.review import operations as review
from tests import factories
from tests.bids.helpers import signed_in
from tests.review.helpers import ReviewWorld, awarded


def failure_notes() -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.kind == "project.failed")).all()


def test_the_posting_union_staff_are_told_when_bidding_closes_without_a_valid_bid(world, clock):
    colleague = factories.staff_member(world.union, name="周干事")
    project = world.open_project()
    clock.set(project.bid_deadline + timedelta(seconds=1))

    tick()

    notes = failure_notes()
    assert sorted(n.user_id for n in notes) == sorted([world.staff.id, colleague.id])
    assert {n.link for n in notes} == {project.url} and "没有有效标书" in notes[0].body


def test_when_no_bid_is_left_after_declines_the_staff_who_declared_it_are_not_told_but_the_rest_are(app):
    world = awarded(ReviewWorld())
    colleague = factories.staff_member(world.union, name="周干事")
    review.decline(world.manager_a, world.project, {"reason": "主要成员临时有实习安排"})
    db.session.commit()
    review.pass_award(world.staff, world.project, {"reason": "按排名顺延"})
    db.session.commit()
    review.decline(world.manager_b, world.project, {"reason": "无法承办"})
    db.session.commit()
    review.pass_award(world.staff, world.project, {"reason": "无人可顺延"})
    db.session.commit()

    assert world.project.state == ProjectState.FAILED
    [note] = failure_notes()
    assert note.user_id == colleague.id and "无人可顺延" in note.body


def test_a_failed_project_links_to_its_repost_and_the_repost_back(app, world, clock):
    failed = world.open_project(title="研究生学术英语写作工作坊")
    clock.set(failed.bid_deadline + timedelta(seconds=1))
    tick()
    staff = signed_in(app, world.staff)
    staff.post(f"/projects/{failed.id}/repost")
    repost = db.session.scalar(select(Project).where(Project.reposted_from_id == failed.id))

    assert f'href="{repost.url}"' in staff.get(failed.url).get_data(as_text=True)
    assert f'href="{repost.url}"' not in signed_in(app, None).get(failed.url).get_data(
        as_text=True
    )  # a draft
    assert f'href="{failed.url}"' in staff.get(repost.url).get_data(as_text=True)

    project_ops.publish(world.staff, repost)
    db.session.commit()
    assert f'href="{repost.url}"' in signed_in(app, None).get(failed.url).get_data(as_text=True)
