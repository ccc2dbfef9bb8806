"""The bidding deadline holds by the clock at each request, whether or not the periodic task ran."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from marketplace.bids import operations as bid_ops
from marketplace.bids.models import Bid
from marketplace.errors import DomainError
from marketplace.projects import lifecycle
from marketplace.projects import operations as project_ops
from marketplace.projects.models import ProjectState
from marketplace.projects.tasks import tick
from tests.projects.helpers import bid_data, project_data


@pytest.mark.parametrize("tick_ran", [False, True], ids=["before-the-tick", "after-the-tick"])
def test_a_bid_one_second_after_the_deadline_is_refused(tick_ran, world, db, clock):
    project = world.open_project()
    clock.set(project.bid_deadline + timedelta(seconds=1))
    if tick_ran:
        tick()

    with pytest.raises(DomainError, match="竞标已截止"):
        bid_ops.submit_bid(world.manager_a, project, world.club_a, bid_data())
    db.session.rollback()

    assert db.session.scalar(db.select(db.func.count()).select_from(Bid)) == 0
    assert lifecycle.effective_state(project) == ProjectState.FAILED


def test_an_expired_project_is_not_listed_as_open(client, world, clock):
    expired = world.open_project(title="已过截止的项目")
    world.open_project(title="还在竞标的项目", days=20)
    clock.set(expired.bid_deadline + timedelta(seconds=1))

    open_now = client.get("/projects?status=open").get_data(as_text=True)
    assert "还在竞标的项目" in open_now and "已过截止的项目" not in open_now
    failed = client.get("/projects?status=failed").get_data(as_text=True)
    assert "已过截止的项目" in failed and "还在竞标的项目" not in failed


def test_a_deadline_with_no_valid_bid_fails_the_project_when_the_only_bid_is_over_the_cap(world, db, clock):
    project = world.open_project()
    bid = world.bid(project)
    bid.requested_budget = project.budget_cap + Decimal("0.01")
    db.session.commit()
    clock.set(project.bid_deadline)

    assert lifecycle.effective_state(project) == ProjectState.FAILED
    tick()
    db.session.refresh(project)
    assert project.state == ProjectState.FAILED and project.tiebreak_seed is None


def test_an_unconfirmed_bid_does_not_count_at_the_deadline(world, db, clock):
    project = world.open_project()
    world.bid(project)
    project_ops.update_project(
        world.staff,
        project,
        {
            **project_data(description="服务对象扩大到全体本科生。"),
            "version": project.version,
            "reason": "扩大服务对象",
        },
    )
    db.session.commit()
    clock.set(project.bid_deadline)

    tick()
    db.session.refresh(project)
    assert project.state == ProjectState.FAILED


def test_a_deadline_with_a_valid_bid_closes_bidding_and_shows_the_draw_seed(client, world, db, clock):
    project = world.open_project()
    world.bid(project)
    clock.set(project.bid_deadline)

    tick()
    db.session.refresh(project)
    assert project.state == ProjectState.REVIEWING
    assert project.tiebreak_seed in client.get(f"/projects/{project.id}").get_data(as_text=True)
