"""``lifecycle.project_moved``: every step is announced inside its transaction, to receivers the app
factory connected once, in a fixed order; a receiver that fails takes the step down with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace import create_app, queue
from marketplace.audit import AuditEntry
from marketplace.bids import receivers as bids
from marketplace.evaluation import receivers as evaluation
from marketplace.needs import receivers as needs
from marketplace.projects import operations as project_ops
from marketplace.projects import receivers as projects
from marketplace.projects.lifecycle import project_moved
from marketplace.projects.models import ProjectState
from marketplace.review import receivers as review
from marketplace.surveys import receivers as surveys
from marketplace.volunteers import receivers as volunteers

# What a step implies elsewhere, in the order it happens (see marketplace.create_app).
RECEIVERS = [
    bids.record_recusals_at_deadline,
    review.open_review_round,
    bids.tell_unconfirmed_bidders,
    review.finalise_notice,
    review.open_outcome_panel,
    surveys.prepare_with_hosting,
    surveys.open_with_evaluation,
    surveys.close_with_project,
    review.withdraw_notice,
    volunteers.end_signups_with_project,
    bids.tell_bidders_of_cancel,
    projects.tell_creator,
    projects.tell_of_cancel_request,
    projects.tell_of_cancel_approval,
    projects.tell_staff_of_failure,
    evaluation.score_on_close,
    needs.tell_supporters,
]


def test_receivers_run_in_the_order_the_app_factory_connects_them_once(app, tmp_path, monkeypatch):
    assert list(project_moved.receivers_for(object())) == RECEIVERS
    monkeypatch.setattr(queue, "_worker_app", queue._worker_app)  # create_app rebinds the task queue
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite3'}"})
    assert list(project_moved.receivers_for(object())) == RECEIVERS


def test_a_step_is_announced_with_its_action_actor_reason_and_states(world):
    draft = world.draft()
    heard = []

    def listen(project, **step):
        heard.append((project.id, step))

    with project_moved.connected_to(listen):
        project_ops.publish(world.staff, draft)
    assert heard == [
        (
            draft.id,
            {
                "action": "publish",
                "actor": world.staff,
                "reason": None,
                "source": ProjectState.DRAFT,
                "target": ProjectState.OPEN,
            },
        )
    ]


def test_a_receiver_that_fails_takes_the_step_down_with_it(world, db):
    draft = world.draft()

    def broken(project, **step):
        raise RuntimeError("the receiver failed")

    with project_moved.connected_to(broken), pytest.raises(RuntimeError):
        project_ops.publish(world.staff, draft)
    db.session.rollback()

    db.session.refresh(draft)
    assert draft.state == ProjectState.DRAFT and draft.published_at is None
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "project.publish")).all() == []
