"""The one policy: who may do what (权限).

``can(user, action, obj)`` answers for views, templates (as ``can(action, obj)``) and operations
alike; ``require`` raises 403. Each action is one small rule below; a test matrix in
``tests/test_permissions.py`` covers role × action. Later areas add their actions to ``RULES``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, g, has_request_context
from flask_login import current_user

from . import clock
from .accounts.models import AccountKind, SiteRole
from .orgs.models import MemberRole, OrgKind


class Role:
    """Names of what a user may be at a moment (site roles plus those that come from memberships)."""

    STUDENT = "student"
    FACULTY = "faculty"
    ORG_MANAGER = "org_manager"
    STAFF = "staff"
    EVALUATOR = SiteRole.EVALUATOR.value
    LEAGUE_REVIEWER = SiteRole.LEAGUE_REVIEWER.value
    ADMIN = SiteRole.ADMIN.value


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def active_memberships(user, day: date | None = None):
    day = day or clock.today_local()
    return [m for m in user.memberships if m.is_active_on(day) and m.org.is_active]


def managed_org_ids(user, day: date | None = None) -> set[int]:
    return {m.org_id for m in active_memberships(user, day) if m.role == MemberRole.MANAGER}


def staff_union_ids(user, day: date | None = None) -> set[int]:
    """The school-level unions (学生会/研究生会) the user works for today."""
    return {m.org_id for m in active_memberships(user, day) if m.org.kind.is_school_level_union}


def roles(user) -> frozenset[str]:
    if not _authenticated(user):
        return frozenset()
    cache = g.setdefault("_roles", {}) if has_request_context() else {}
    key = (user.id, clock.today_local())
    if key not in cache:
        found = {Role.STUDENT if user.kind == AccountKind.STUDENT else Role.FACULTY}
        found |= user.role_names
        if managed_org_ids(user):
            found.add(Role.ORG_MANAGER)
        if staff_union_ids(user):
            found.add(Role.STAFF)
        cache[key] = frozenset(found)
    return cache[key]


def has_role(user, role: str) -> bool:
    return role in roles(user)


Rule = Callable[..., bool]


def _admin(user, obj=None) -> bool:
    return has_role(user, Role.ADMIN)


def _writable_account(user, obj=None) -> bool:
    return _authenticated(user) and not user.is_read_only


def _own_or_admin(user, obj=None) -> bool:
    return _admin(user) or (obj is not None and obj.id == user.id)


def _sees_phone(user, obj=None) -> bool:
    """The owner, admins, and the host of a shift the student was accepted on."""
    if _own_or_admin(user, obj):
        return True
    from .volunteers.queries import hosts_accepted

    return obj is not None and hosts_accepted(user, obj)


def _manages(user, org=None) -> bool:
    if _admin(user):
        return True
    return org is not None and _writable_account(user) and org.id in managed_org_ids(user)


def _reads_audit(user, obj=None) -> bool:
    return bool(roles(user) & {Role.STAFF, Role.LEAGUE_REVIEWER, Role.ADMIN})


def _posts_projects(user, obj=None) -> bool:
    return _writable_account(user) and has_role(user, Role.STAFF)


def _staff_of_posting_union(user, project=None) -> bool:
    return project is not None and _writable_account(user) and project.union_id in staff_union_ids(user)


def _recused(user, project) -> bool:
    from .bids.visibility import is_recused

    return is_recused(user, project)


def _league_reviewer_not_recused(user, project=None) -> bool:
    return (
        project is not None
        and _writable_account(user)
        and has_role(user, Role.LEAGUE_REVIEWER)
        and not _recused(user, project)
    )


def _awarding_staff(user, project=None) -> bool:
    return _staff_of_posting_union(user, project) and not _recused(user, project)


def _hosts(user, project=None) -> bool:
    """Managers of the hosting organization (承办方), as soon as the clock has made it the host."""
    from .review.operations import host_org_id

    org_id = host_org_id(project) if project is not None else None
    return org_id is not None and _writable_account(user) and org_id in managed_org_ids(user)


def _may_ask(user, project=None) -> bool:
    """Eligible bidders ask questions: managers of an active organization of an admitted kind."""
    if project is None or not _writable_account(user):
        return False
    return any(m.role == MemberRole.MANAGER and project.admits(m.org.kind) for m in active_memberships(user))


def _views_bid(user, bid=None) -> bool:
    from .bids.visibility import can_view_bid

    return bid is not None and can_view_bid(user, bid)


def _writes_bid(user, bid=None) -> bool:
    """Managers of the bidding organization write, confirm and withdraw its bid (admins do not)."""
    return bid is not None and _writable_account(user) and bid.org_id in managed_org_ids(user)


def _views_bids_of(user, project=None) -> bool:
    from .bids.visibility import can_view_bids_of

    return project is not None and can_view_bids_of(user, project)


def _reviews_for_league(user, obj=None) -> bool:
    return _writable_account(user) and has_role(user, Role.LEAGUE_REVIEWER)


def _sees_unpublished(user, project=None) -> bool:
    """Drafts and projects awaiting approval: the posting union's staff and the league reviewers."""
    return project is not None and (
        project.union_id in staff_union_ids(user) or has_role(user, Role.LEAGUE_REVIEWER)
    )


def _sees_bid_count(user, project=None) -> bool:
    return project is not None and (
        project.union_id in staff_union_ids(user) or bool(roles(user) & {Role.LEAGUE_REVIEWER, Role.ADMIN})
    )


def _objects(user, project=None) -> bool:
    """Any student may object to an award notice (异议)."""
    return _writable_account(user) and user.kind == AccountKind.STUDENT


def _on_panel(user, project=None) -> bool:
    from .review.operations import is_seated

    return project is not None and _writable_account(user) and is_seated(user, project)


def _declines(user, notice=None) -> bool:
    """The winning organization's managers may decline the award during its notice (放弃承办)."""
    return notice is not None and _writable_account(user) and notice.bid.org_id in managed_org_ids(user)


def _verifies_credits(user, project=None) -> bool:
    """The verifying role of second-classroom credits (a setting: league reviewers by default)."""
    from .credits.records import verifies

    return _writable_account(user) and verifies(user, project)


def _handles_credits(user, obj=None) -> bool:
    """Credit appeals and the staff export: the school unions' staff and the verifying role."""
    return _writable_account(user) and (bool(staff_union_ids(user)) or _verifies_credits(user))


def _rules_credit_appeal(user, appeal=None) -> bool:
    """An appeal is answered by the posting union's staff and by the role verifying its credits."""
    from .credits.records import appeal_scope

    if appeal is None or not _writable_account(user):
        return False
    scope = appeal_scope(user)
    return scope is None or appeal.shift.position.project.union_id in scope


RULES: dict[str, Rule] = {
    # Anyone signed in who is not a read-only graduate may change things.
    "account.write": _writable_account,
    # The phone number: its owner, admins, and the host of a shift the student was accepted on.
    "user.view_phone": _sees_phone,
    "user.view_private": _own_or_admin,
    "admin.access": _admin,
    "user.manage": _admin,
    "org.manage": _admin,
    "org.act_for": _manages,
    "roster.import": _admin,
    "settings.edit": _admin,
    "calendar.edit": _admin,
    "credit_categories.edit": _admin,
    "audit.read": _reads_audit,
    "project.post": _posts_projects,
    "project.edit": _staff_of_posting_union,
    "project.publish": _staff_of_posting_union,
    "project.cancel": _staff_of_posting_union,
    "project.answer": _staff_of_posting_union,
    "project.close": _staff_of_posting_union,
    "project.view_bid_count": _sees_bid_count,
    "project.view_unpublished": _sees_unpublished,
    "project.review_queue": _reviews_for_league,
    "project.approve": _league_reviewer_not_recused,
    "project.approve_cancel": _league_reviewer_not_recused,
    "project.rule_objection": _league_reviewer_not_recused,
    "project.award": _awarding_staff,
    "project.host": _hosts,
    "project.ask": _may_ask,
    "bid.view": _views_bid,
    "bid.edit": _writes_bid,
    "project.view_bids": _views_bids_of,
    "review.object": _objects,
    "review.panel": _on_panel,
    "review.decline": _declines,
    "credit.verify": _verifies_credits,
    "credit.handle": _handles_credits,
    "credit.rule_appeal": _rules_credit_appeal,
}


def can(user, action: str, obj=None) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}; declare it in permissions.RULES") from None
    if not _authenticated(user):
        return False
    return bool(rule(user, obj))


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        abort(403)


def template_can(action: str, obj=None) -> bool:
    return can(current_user, action, obj)


__all__ = ["OrgKind", "Role", "can", "has_role", "require", "roles"]
