from datetime import timedelta

import pytest

from marketplace.audit import AuditEntry
from marketplace.projects import lifecycle
from marketplace.projects.models import Project, ProjectState
from tests.projects.helpers import World


@pytest.fixture
def world(app):
    return World()


def test_published_project_is_open_and_the_step_is_audited(world, db):
    project = world.open_project()
    assert project.state == ProjectState.OPEN
    entry = db.session.query(AuditEntry).filter_by(action="project.publish").one()
    assert entry.before == {"state": "draft"} and entry.after == {"state": "open"}


def test_deadline_with_a_valid_bid_moves_to_reviewing_and_fixes_the_seed(world, db, clock):
    project = world.open_project()
    world.bid(project)
    clock.set(project.bid_deadline + timedelta(seconds=1))
    assert lifecycle.effective_state(project) == ProjectState.REVIEWING
    assert lifecycle.run_due_transitions() == 1
    db.session.refresh(project)
    assert project.state == ProjectState.REVIEWING and len(project.tiebreak_seed) == 64
    assert lifecycle.run_due_transitions() == 0


def test_deadline_without_a_valid_bid_fails_the_project(world, db, clock):
    project = world.open_project()
    clock.set(project.bid_deadline)
    assert lifecycle.effective_state(project) == ProjectState.FAILED
    open_ids = db.session.scalars(
        db.select(Project.id).where(lifecycle.effective_state_in(ProjectState.OPEN))
    ).all()
    assert project.id not in open_ids
