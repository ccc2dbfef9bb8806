"""The site-wide list of open shifts: only projects in hosting whose sign-up is still open, filterable
by category, date, admission mode and free seats."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.extensions import db
from marketplace.projects.models import ProjectState
from marketplace.volunteers.models import Admission
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


def listed(app, query: str = "") -> str:
    return signed_in(app, None).get(f"/volunteer{query}").get_data(as_text=True)


def test_only_shifts_still_open_for_sign_up_are_listed(app, world, clock):
    soon = world.shift(world.position(title="明天的岗位"), starts_in=timedelta(days=1))
    world.shift(world.position(title="抽签已截止", admission=Admission.LOTTERY, signup_closes_at=clock.now()))
    later = world.shift(world.position(title="下周的岗位"), starts_in=timedelta(days=7))
    page = listed(app)
    assert "明天的岗位" in page and "下周的岗位" in page and "抽签已截止" not in page
    assert page.index(f"shift-{soon.id}") < page.index(f"shift-{later.id}")
    clock.set(soon.starts_at)
    assert "明天的岗位" not in listed(app)

    world.project.state = ProjectState.EVALUATING
    db.session.commit()
    assert "下周的岗位" not in listed(app)


def test_the_filters_narrow_the_list(app, world):
    full = world.shift(world.position(title="满员岗位"), capacity=1, starts_in=timedelta(days=2))
    world.sign_up(world.students(1)[0], full)
    world.shift(world.position(Admission.APPROVAL, title="评审岗位"), starts_in=timedelta(days=4))
    assert "满员岗位" not in listed(app, "?seats=y") and "评审岗位" in listed(app, "?seats=y")
    assert "满员岗位" not in listed(app, "?admission=approval")
    day = (full.starts_at + timedelta(hours=8)).date().isoformat()
    page = listed(app, f"?day={day}")
    assert "满员岗位" in page and "评审岗位" not in page
    assert "满员岗位" not in listed(app, "?category=wellbeing")
    assert "满员岗位" in listed(app, "?category=academic&day=not-a-date")  # a broken filter is ignored
