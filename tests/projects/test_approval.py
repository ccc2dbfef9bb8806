"""重大项目: the league reviewer approves major projects before they open, and sees their changes."""

from __future__ import annotations

from datetime import timedelta

from marketplace.audit import AuditEntry
from marketplace.notify.models import Notification
from marketplace.projects import lifecycle
from marketplace.projects import operations as project_ops
from marketplace.projects.models import ProjectState
from tests import factories
from tests.projects.helpers import project_data


def _notified(db, kind):
    return db.session.scalars(db.select(Notification.user_id).where(Notification.kind == kind)).all()


def test_a_project_over_the_budget_threshold_waits_for_the_league_reviewer(client, world, db):
    project = world.draft(budget_cap=30000)
    factories.login(client, world.staff)

    response = client.post(f"/projects/{project.id}/publish", follow_redirects=True)

    assert "已提交校团委审核" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.state == ProjectState.PENDING_APPROVAL and project.published_at is None


def test_a_flagged_project_is_major_whatever_its_budget(world):
    assert world.open_project(flagged_major=True).state == ProjectState.PENDING_APPROVAL


def test_the_reviewer_approves_and_the_creator_is_told(client, world, db):
    project = world.pending_project(title="全校运动会志愿服务")
    factories.login(client, world.reviewer)
    assert "全校运动会志愿服务" in client.get("/review/approvals").get_data(as_text=True)

    response = client.post(f"/projects/{project.id}/approve")

    assert response.headers["Location"].endswith("/review/approvals")
    db.session.refresh(project)
    assert project.state == ProjectState.OPEN
    assert _notified(db, "project.approved") == [world.staff.id]


def test_the_reviewer_returns_a_project_with_a_reason(client, world, db):
    project = world.pending_project()
    factories.login(client, world.reviewer)

    client.post(f"/projects/{project.id}/return", data={f"p{project.id}-reason": "预算明细不清楚"})

    db.session.refresh(project)
    assert project.state == ProjectState.DRAFT and project.return_reason == "预算明细不清楚"
    assert _notified(db, "project.returned") == [world.staff.id]
    staff = client.application.test_client()
    factories.login(staff, world.staff)
    assert "校团委退回理由：预算明细不清楚" in staff.get(f"/projects/{project.id}").get_data(as_text=True)


def test_returning_without_a_reason_is_refused(client, world, db):
    project = world.pending_project()
    factories.login(client, world.reviewer)

    response = client.post(f"/projects/{project.id}/return", data={f"p{project.id}-reason": " "})

    assert response.status_code == 422
    assert "请填写理由。" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.state == ProjectState.PENDING_APPROVAL


def test_a_project_whose_deadline_passed_in_the_queue_cannot_be_approved(client, world, db, clock):
    project = world.pending_project()
    clock.set(project.bid_deadline + timedelta(minutes=1))
    factories.login(client, world.reviewer)

    response = client.post(f"/projects/{project.id}/approve", follow_redirects=True)

    assert "竞标截止时间已过" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.state == ProjectState.PENDING_APPROVAL


def test_only_league_reviewers_approve(client, world, db):
    project = world.pending_project()
    factories.login(client, world.staff)
    assert client.get("/review/approvals").status_code == 403
    assert client.post(f"/projects/{project.id}/approve").status_code == 403
    assert (
        client.post(f"/projects/{project.id}/return", data={f"p{project.id}-reason": "x"}).status_code == 403
    )


def test_changes_to_a_major_project_are_shown_to_the_league_reviewer(client, world, db):
    project = world.pending_project(title="迎新晚会")
    project_ops.approve(world.reviewer, project)
    db.session.commit()
    project_ops.update_project(
        world.staff,
        project,
        {
            **project_data(budget_cap=60000, title="迎新晚会"),
            "version": project.version,
            "reason": "增加场地租赁费用",
        },
    )
    db.session.commit()
    factories.login(client, world.reviewer)

    page = client.get("/review/approvals").get_data(as_text=True)

    assert "增加场地租赁费用" in page and "50000.00 元 → 60000.00 元" in page


def test_cancelling_a_hosted_project_is_requested_by_staff_and_approved_by_the_league(client, app, world, db):
    project = world.open_project()
    world.bid(project)
    project.state, project.tiebreak_seed, project.host_org_id = (
        ProjectState.HOSTING,
        "0" * 64,
        world.club_a.id,
    )
    db.session.commit()
    factories.login(client, world.staff)
    assert client.post(f"/projects/{project.id}/request-cancel", data={"reason": ""}).status_code == 422

    client.post(f"/projects/{project.id}/request-cancel", data={"reason": "承办方无法继续"})
    reviewer = app.test_client()
    factories.login(reviewer, world.reviewer)
    assert "承办方无法继续" in reviewer.get("/review/approvals").get_data(as_text=True)
    reviewer.post(f"/projects/{project.id}/approve-cancel")

    db.session.refresh(project)
    assert project.state == ProjectState.CANCELLED
    assert [e.action for e in lifecycle_entries(db, project)][-2:] == [
        "project.request_cancel",
        "project.approve_cancel",
    ]


def lifecycle_entries(db, project):
    return db.session.scalars(
        db.select(AuditEntry)
        .where(
            AuditEntry.project_id == project.id,
            AuditEntry.action.in_([f"project.{a}" for a in lifecycle.TRANSITIONS]),
        )
        .order_by(AuditEntry.id)
    ).all()
