"""The policy (marketplace.permissions), role by role."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from marketplace import permissions
from marketplace.accounts.models import AccountKind, AccountStatus
from marketplace.orgs.models import OrgKind
from tests import factories

# -- the foundation's role × action matrix ---------------------------------------------------------
# Actions about accounts, organizations and the site, asked of each role. The organization for
# "org.act_for" is the manager's own club (or, for "org manager, other org", a club they don't run);
# the account for "user.*" is somebody else's. Actions about one project or bid are covered with
# their areas' tests, where projects in each state exist.

SIGNED_IN = {
    "student",
    "org manager, own org",
    "org manager, other org",
    "staff",
    "evaluator",
    "league reviewer",
    "admin",
}
STUDENTS_WHO_MAY_WRITE = {"student", "org manager, own org", "org manager, other org", "staff", "evaluator"}
ADMIN = {"admin"}

FOUNDATION_MATRIX: dict[str, set[str]] = {
    "account.write": SIGNED_IN,
    "user.view_phone": ADMIN,
    "user.view_private": ADMIN,
    "admin.access": ADMIN,
    "user.manage": ADMIN,
    "org.manage": ADMIN,
    "org.act_for": {"org manager, own org", "admin"},
    "roster.import": ADMIN,
    "settings.edit": ADMIN,
    "calendar.edit": ADMIN,
    "credit_categories.edit": ADMIN,
    "audit.read": {"staff", "league reviewer", "admin"},
    "project.post": {"staff"},
    "project.review_queue": {"league reviewer"},
    "review.object": STUDENTS_WHO_MAY_WRITE,
}

ROLES = ["anonymous", "student", "graduated student", *sorted(SIGNED_IN - {"student"})]


@pytest.fixture
def people():
    """Each role's user, the club the manager runs, another club, and somebody else's account."""
    own, other = factories.org(OrgKind.CLUB), factories.org(OrgKind.CLUB)
    manager = factories.manager_of(own)
    return {
        "users": {
            "anonymous": AnonymousUserMixin(),
            "student": factories.user(),
            "graduated student": factories.user(status=AccountStatus.GRADUATED),
            "org manager, own org": manager,
            "org manager, other org": manager,
            "staff": factories.staff_member(),
            "evaluator": factories.user(roles=("evaluator",)),
            "league reviewer": factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",)),
            "admin": factories.user(kind=AccountKind.FACULTY, roles=("admin",)),
        },
        "own": own,
        "other": other,
        "someone else": factories.user(),
    }


def test_the_foundation_matrix_names_only_declared_actions():
    assert set(FOUNDATION_MATRIX) <= set(permissions.RULES)


@pytest.mark.parametrize("role", ROLES)
def test_foundation_role_action_matrix(people, role):
    user = people["users"][role]
    objects = {
        "org.act_for": people["other"] if role == "org manager, other org" else people["own"],
        "user.view_phone": people["someone else"],
        "user.view_private": people["someone else"],
    }
    allowed = {action for action in FOUNDATION_MATRIX if permissions.can(user, action, objects.get(action))}
    expected = {action for action, roles in FOUNDATION_MATRIX.items() if role in roles}
    assert allowed == expected


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_every_signed_in_role_sees_its_own_phone_and_private_details(people, role):
    user = people["users"][role]
    assert permissions.can(user, "user.view_phone", user)
    assert permissions.can(user, "user.view_private", user)
