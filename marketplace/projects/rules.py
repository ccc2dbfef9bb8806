"""Who may do what to a project: the ``project.*`` actions of the policy (see ``permissions``).

Recusal (``projects.recusal``) keeps anyone tied to a bidder out of approving, awarding and ruling.
"""

from __future__ import annotations

from ..bids.visibility import can_view_bids_of
from ..orgs.models import MemberRole
from ..permissions import (
    Role,
    active_memberships,
    has_role,
    managed_org_ids,
    may_write,
    rule,
    staff_union_ids,
)
from ..review.window import host_org_id
from .recusal import is_recused


@rule("project.post")
def _posts(user, obj=None) -> bool:
    return may_write(user) and has_role(user, Role.STAFF)


@rule("project.edit", "project.publish", "project.cancel", "project.answer", "project.close")
def _staff_of_posting_union(user, project=None) -> bool:
    return project is not None and may_write(user) and project.union_id in staff_union_ids(user)


@rule("project.view_unpublished")
def _sees_unpublished(user, project=None) -> bool:
    """Drafts and projects awaiting approval: the posting union's staff and the league reviewers."""
    return project is not None and (
        project.union_id in staff_union_ids(user) or has_role(user, Role.LEAGUE_REVIEWER)
    )


@rule("project.view_bids")
def _views_bids(user, project=None) -> bool:
    """The list of all bids: after the deadline, for those who oversee the project and are not recused."""
    return project is not None and can_view_bids_of(user, project)


@rule("project.review_queue")
def _reviews_for_league(user, obj=None) -> bool:
    return may_write(user) and has_role(user, Role.LEAGUE_REVIEWER)


@rule("project.approve", "project.approve_cancel", "project.rule_objection")
def _league_reviewer_not_recused(user, project=None) -> bool:
    return (
        project is not None
        and may_write(user)
        and has_role(user, Role.LEAGUE_REVIEWER)
        and not is_recused(user, project)
    )


@rule("project.award")
def _awarding_staff(user, project=None) -> bool:
    return _staff_of_posting_union(user, project) and not is_recused(user, project)


@rule("project.host")
def _hosts(user, project=None) -> bool:
    """Managers of the hosting organization (承办方), as soon as the clock has made it the host."""
    org_id = host_org_id(project) if project is not None else None
    return org_id is not None and may_write(user) and org_id in managed_org_ids(user)


@rule("project.request_cancel")
def _requests_cancel(user, project=None) -> bool:
    """Asking the league to cancel a project under way: the posting union's staff, or the host's
    managers."""
    return _staff_of_posting_union(user, project) or _hosts(user, project)


@rule("project.ask")
def _may_ask(user, project=None) -> bool:
    """Eligible bidders ask questions: managers of an active organization of an admitted kind."""
    if project is None or not may_write(user):
        return False
    return any(m.role == MemberRole.MANAGER and project.admits(m.org.kind) for m in active_memberships(user))
