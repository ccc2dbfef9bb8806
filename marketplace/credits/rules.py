"""Who verifies credits and answers appeals: the ``credit.*`` actions of the policy."""

from __future__ import annotations

from ..permissions import Role, has_role, may_write, rule, staff_union_ids
from .records import appeal_scope, verifier_scope, verifies


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


@rule("credit.export_shortfall")
def _exports_shortfall(user, obj=None) -> bool:
    """未达标名单 of a whole cohort: admins and the school-wide verifying role — not union staff, even
    when they verify their own union's credits, since the list spans every student of the school."""
    return may_write(user) and (has_role(user, Role.ADMIN) or verifier_scope(user) is None)


@rule("credit.certificate")
def _takes_certificate(user, owner=None) -> bool:
    """A 志愿服务证明 is issued to the student it is about, and to nobody else."""
    return getattr(user, "is_authenticated", False) and owner is not None and user.id == owner.id


@rule("credit.export_certificates")
def _exports_certificates(user, project=None) -> bool:
    """A project's certificates as one ZIP: the posting union's staff and the role verifying its
    credits."""
    if project is None or not may_write(user):
        return False
    return project.union_id in staff_union_ids(user) or _verifies_credits(user, project)
