"""The one policy: who may do what (权限).

``can(user, action, obj)`` answers for views, templates (as ``can(action, obj)``) and operations
alike; ``require`` raises 403. Each action is one small rule, registered with ``@rule("action")``:
the account, organization and site rules here, the others in their area's ``rules.py``
(``projects``, ``bids``, ``review``, ``volunteers``, ``credits``), which the app factory loads. This
module holds the vocabulary and imports no area but accounts and orgs, so any area may import it. The
matrix in ``tests/test_permissions.py`` covers every registered action, role by role.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, g, has_request_context
from flask_login import current_user

from . import clock
from .accounts.models import AccountKind, SiteRole
from .orgs.models import MemberRole


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


def may_write(user) -> bool:
    """Signed in and not a read-only graduate: the precondition of every rule that changes things."""
    return _authenticated(user) and not user.is_read_only


def is_self_or_admin(user, account=None) -> bool:
    return has_role(user, Role.ADMIN) or (account is not None and account.id == user.id)


Rule = Callable[..., bool]

# action -> its rule, filled by @rule here and in the areas' rules.py
RULES: dict[str, Rule] = {}


def rule(*actions: str) -> Callable[[Rule], Rule]:
    """Register the decorated function as the rule of ``actions``. Each action has exactly one rule:
    registering a name twice is a mistake, and is refused."""

    def register(fn: Rule) -> Rule:
        for action in actions:
            if action in RULES:
                owner = RULES[action]
                raise ValueError(f"{action!r} already has a rule: {owner.__module__}.{owner.__qualname__}")
        RULES.update(dict.fromkeys(actions, fn))
        return fn

    return register


# -- accounts, organizations and the site ------------------------------------------------------------


@rule("account.write")
def _writes(user, obj=None) -> bool:
    """Anyone signed in who is not a read-only graduate may change things."""
    return may_write(user)


@rule("user.view_private")
def _own_or_admin(user, account=None) -> bool:
    return is_self_or_admin(user, account)


@rule(
    "admin.access",
    "user.manage",
    "org.manage",
    "roster.import",
    "settings.edit",
    "calendar.edit",
    "credit_categories.edit",
    "credit_requirements.edit",
    # The audit log as stored: personal values in entries written before they were concealed, the raw JSON.
    "audit.read_raw",
)
def _admin(user, obj=None) -> bool:
    return has_role(user, Role.ADMIN)


@rule("org.act_for")
def _manages(user, org=None) -> bool:
    if has_role(user, Role.ADMIN):
        return True
    return org is not None and may_write(user) and org.id in managed_org_ids(user)


@rule("audit.read")
def _reads_audit(user, obj=None) -> bool:
    """Opens the audit log: union staff read the entries of their own union's projects there."""
    return bool(roles(user) & {Role.STAFF, Role.LEAGUE_REVIEWER, Role.ADMIN})


@rule("audit.read_all")
def _reads_whole_audit(user, obj=None) -> bool:
    """The whole log: accounts, rosters and settings too (sealing and recusal still hide bid entries)."""
    return bool(roles(user) & {Role.LEAGUE_REVIEWER, Role.ADMIN})


def can(user, action: str, obj=None) -> bool:
    try:
        rule_of = RULES[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}; register its rule with @permissions.rule") from None
    if not _authenticated(user):
        return False
    return bool(rule_of(user, obj))


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        abort(403)


def template_can(action: str, obj=None) -> bool:
    return can(current_user, action, obj)


__all__ = ["RULES", "Role", "can", "has_role", "may_write", "require", "roles", "rule", "template_can"]
