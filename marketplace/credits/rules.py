"""Who verifies credits and answers appeals: the ``credit.*`` actions of the policy."""

from __future__ import annotations

from ..permissions import may_write, rule, staff_union_ids
from .records import appeal_scope, verifies


@rule("credit.verify")
def _verifies_credits(user, project=None) -> bool:
    """The verifying role of second-classroom credits (a setting: league reviewers by default)."""
    return may_write(user) and verifies(user, project)


@rule("credit.handle")
def _handles_credits(user, obj=None) -> bool:
    """Credit appeals and the staff export: the school unions' staff and the verifying role."""
    return may_write(user) and (bool(staff_union_ids(user)) or _verifies_credits(user))


@rule("credit.rule_appeal")
def _rules_credit_appeal(user, appeal=None) -> bool:
    """An appeal is answered by the posting union's staff and by the role verifying its credits."""
    if appeal is None or not may_write(user):
        return False
    scope = appeal_scope(user)
    return scope is None or appeal.shift.position.project.union_id in scope
