"""Every action of the lifecycle from every state: taken where TRANSITIONS allows it, refused elsewhere."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import Forbidden

from marketplace.audit import AuditEntry
from marketplace.errors import DomainError
from marketplace.projects import lifecycle
from marketplace.projects.lifecycle import TRANSITIONS, IllegalTransition
from marketplace.projects.models import ProjectState
from tests import factories

PERSON_ACTIONS = [action for action, t in TRANSITIONS.items() if t.permission is not None]
CLOCK_ACTIONS = [action for action, t in TRANSITIONS.items() if t.permission is None]


def _actor(world, permission: str):
    """Someone the permission admits: the posting union's staff, the league reviewer, or the host."""
    if permission in ("project.approve", "project.approve_cancel", "project.rule_objection"):
        return world.reviewer
    if permission == "project.host":
        return world.manager_a
    return world.staff


def _put_in(db, clock, project, state: ProjectState) -> None:
    """Set the state directly, with the facts the CHECK constraints and guards tie to it."""
    project.state = state
    project.tiebreak_seed = "0" * 64
    project.cancel_reason = "场地无法落实"
    project.cancel_requested_at = clock.now()
    db.session.commit()


def _reason(action: str) -> str | None:
    return "按规定填写的理由" if TRANSITIONS[action].needs_reason else None


@pytest.fixture
def project(world, db):
    project = world.draft()
    project.host_org_id = world.club_a.id  # the hosting organization, for the host's actions
    db.session.commit()
    return project


@pytest.mark.parametrize("action", PERSON_ACTIONS)
def test_each_action_is_taken_from_its_source_states_and_refused_from_every_other(
    action, world, project, db, clock, monkeypatch
):
    # What the staff's close waits for (the panel, the survey) is tested in tests/evaluation.
    monkeypatch.setattr(lifecycle, "close_conditions", [])
    transition = TRANSITIONS[action]
    actor = _actor(world, transition.permission)
    for state in ProjectState:
        _put_in(db, clock, project, state)
        if state in transition.sources:
            lifecycle.apply(project, action, actor, reason=_reason(action))
            assert project.state == (transition.target or state), state
            entry = db.session.scalars(
                db.select(AuditEntry)
                .where(AuditEntry.action == f"project.{action}")
                .order_by(AuditEntry.id.desc())
            ).first()
            assert entry.before == {"state": state.value}
            assert entry.after == {"state": (transition.target or state).value}
            assert entry.actor_id == actor.id
            db.session.commit()
        else:
            with pytest.raises(IllegalTransition):
                lifecycle.apply(project, action, actor, reason=_reason(action))
            db.session.rollback()
            db.session.refresh(project)
            assert project.state == state


def test_a_step_the_clock_takes_cannot_be_applied_by_a_person(world, project, db, clock):
    for action in CLOCK_ACTIONS:
        _put_in(db, clock, project, next(iter(TRANSITIONS[action].sources)))
        with pytest.raises(ValueError):
            lifecycle.apply(project, action, world.staff)


def test_a_plain_student_is_refused_every_action_with_403(project, db, clock):
    student = factories.user()
    for action in PERSON_ACTIONS:
        state = next(iter(TRANSITIONS[action].sources))
        _put_in(db, clock, project, state)
        with pytest.raises(Forbidden):
            lifecycle.apply(project, action, student, reason=_reason(action))
        db.session.rollback()
        db.session.refresh(project)
        assert project.state == state, action


def test_a_reason_is_required_where_the_step_needs_one(world, project, db, clock):
    _put_in(db, clock, project, ProjectState.OPEN)
    with pytest.raises(DomainError) as refused:
        lifecycle.apply(project, "cancel", world.staff, reason="   ")
    assert refused.value.field == "reason"


def test_cancelling_a_hosted_project_needs_a_request_before_the_league_approves(world, project, db):
    project.state = ProjectState.HOSTING
    project.tiebreak_seed = "0" * 64
    db.session.commit()
    with pytest.raises(DomainError, match="没有待批准的取消申请"):
        lifecycle.apply(project, "approve_cancel", world.reviewer)
    db.session.rollback()

    lifecycle.apply(project, "request_cancel", world.staff, reason="承办方解散")
    assert project.cancel_requested_by_id == world.staff.id
    lifecycle.apply(project, "approve_cancel", world.reviewer)
    assert project.state == ProjectState.CANCELLED
    assert project.cancel_reason == "承办方解散"
