"""What a project's step tells people (receivers of ``lifecycle.project_moved``; the app factory
connects them)."""

from __future__ import annotations

from sqlalchemy import select

from .. import permissions
from ..accounts.models import SiteRole, User
from ..extensions import db
from ..notify import operations as notify
from ..orgs.queries import managers_of, union_staff
from ..urls import path_for

_TOLD_TO_CREATOR = {"approve": "project.approved", "return": "project.returned"}


def tell_creator(project, *, action, reason, **_) -> None:
    """The league approved or returned a major project: whoever created it hears, with the reason."""
    kind = _TOLD_TO_CREATOR.get(action)
    if kind is not None and project.created_by is not None:
        notify.send(project.created_by, kind, link=project.url, project=project, reason=reason)


def _staff_and_host(project, *, but=None) -> list:
    """The posting union's staff and the host's managers, each once, leaving out ``but``."""
    people = {user.id: user for user in union_staff(project.union_id)}
    if project.host_org_id is not None:
        people.update((m.user.id, m.user) for m in managers_of([project.host_org_id]))
    people.pop(getattr(but, "id", None), None)
    return list(people.values())


def tell_of_cancel_request(project, *, action, actor, reason, **_) -> None:
    """A request to cancel a project under way: the league reviewers who may approve it hear (and find
    it in their queue), and so do the posting union's staff and the host's managers — but the one who
    asked."""
    if action != "request_cancel":
        return
    reviewers = db.session.scalars(select(User).where(User.site_roles.any(role=SiteRole.LEAGUE_REVIEWER)))
    approvers = [r for r in reviewers if permissions.can(r, "project.approve_cancel", project)]
    told = {getattr(actor, "id", None)}
    for reviewer in approvers:
        told.add(reviewer.id)
        notify.send(
            reviewer,
            "project.cancel_requested",
            link=path_for("projects.approvals"),
            project=project,
            requester=actor,
            reason=reason,
            approves=True,
        )
    for person in _staff_and_host(project):
        if person.id not in told:
            notify.send(
                person,
                "project.cancel_requested",
                link=project.url,
                project=project,
                requester=actor,
                reason=reason,
                approves=False,
            )


def tell_of_cancel_approval(project, *, action, **_) -> None:
    """The league approved the cancellation: the posting union's staff and the host's managers hear
    (the volunteers and the other bidders are told by their own areas)."""
    if action == "approve_cancel":
        notify.send_to_many(
            _staff_and_host(project), "project.cancel_approved", link=project.url, project=project
        )


def tell_staff_of_failure(project, *, action, actor, reason, **_) -> None:
    """流标 — at the deadline, or when the winner declined with no bid left: the posting union's staff
    hear (but whoever declared it), so that they may post it again."""
    if action in ("fail", "fail_after_decline"):
        staff = [user for user in union_staff(project.union_id) if user.id != getattr(actor, "id", None)]
        notify.send_to_many(
            staff, "project.failed", link=project.url, project=project, action=action, reason=reason
        )
