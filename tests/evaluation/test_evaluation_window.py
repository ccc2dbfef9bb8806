"""评价期: entering 评价中 fixes the window's end from the setting then in force; at that end the
clock closes the project (评价中 → 已结项), whether or not the periodic task ran."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace import pagecache, settings
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.projects import lifecycle
from marketplace.projects.models import Project, ProjectState
from tests.volunteers.helpers import HostingWorld

REPORT = {
    "outcomes": "举办 12 次答疑。",
    "participants": 40,
    "spending_summary": "支出 800 元。",
    "photos": [],
}


@pytest.fixture
def evaluating(app, clock):
    world = HostingWorld()
    hosting.submit_completion(world.host, world.project, REPORT)
    db.session.commit()
    return world.project


def test_entering_evaluation_sets_the_window_from_the_setting(evaluating, clock):
    assert evaluating.state == ProjectState.EVALUATING
    assert evaluating.evaluation_ends_at == clock.now() + timedelta(days=21)


def test_changing_the_setting_later_moves_no_running_evaluation(evaluating, admin, clock):
    ends = evaluating.evaluation_ends_at
    settings.put("evaluation_window_days", 7, admin)
    db.session.commit()
    db.session.refresh(evaluating)
    assert evaluating.evaluation_ends_at == ends
    assert lifecycle.effective_state(evaluating, ends - timedelta(seconds=1)) == ProjectState.EVALUATING


def test_the_project_closes_by_itself_when_the_evaluation_window_ends(evaluating, clock):
    clock.set(evaluating.evaluation_ends_at - timedelta(seconds=1))
    assert lifecycle.catch_up(evaluating) == 0 and evaluating.state == ProjectState.EVALUATING

    clock.shift(timedelta(seconds=1))
    assert lifecycle.effective_state(evaluating) == ProjectState.CLOSED
    assert lifecycle.catch_up(evaluating) == 1
    assert evaluating.state == ProjectState.CLOSED


def test_lists_see_a_project_whose_window_ended_as_closed(evaluating, clock):
    clock.set(evaluating.evaluation_ends_at)
    closed = db.session.scalars(
        select(Project.id).where(lifecycle.effective_state_in(ProjectState.CLOSED))
    ).all()
    assert evaluating.id in closed


def test_a_cached_project_page_shows_the_project_closed_one_second_after_its_window(
    client, app, evaluating, clock, monkeypatch
):
    monkeypatch.setitem(app.extensions, "page_cache", pagecache.MemoryStore())
    clock.set(evaluating.evaluation_ends_at - timedelta(seconds=30))  # within the cache's 60 seconds
    assert "评价中" in client.get(f"/projects/{evaluating.id}").get_data(as_text=True)

    clock.set(evaluating.evaluation_ends_at + timedelta(seconds=1))

    assert "已结项" in client.get(f"/projects/{evaluating.id}").get_data(as_text=True)
