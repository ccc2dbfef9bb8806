"""Who may take part in review and the notice: the ``review.*`` actions of the policy."""

from __future__ import annotations

from ..accounts.models import AccountKind
from ..permissions import managed_org_ids, may_write, rule, staff_union_ids
from ..projects.models import CriterionPurpose
from ..projects.recusal import is_recused_from_outcome
from .operations import is_seated


@rule("review.object")
def _objects(user, project=None) -> bool:
    """Any student may object to an award notice (异议)."""
    return may_write(user) and user.kind == AccountKind.STUDENT


@rule("review.panel")
def _on_panel(user, project=None) -> bool:
    """Seated on the project's bid review panel (评标), in any round."""
    return project is not None and may_write(user) and is_seated(user, project)


@rule("review.outcome_panel")
def _on_outcome_panel(user, project=None) -> bool:
    """Seated on the project's outcome panel (成效评估)."""
    return project is not None and may_write(user) and is_seated(user, project, CriterionPurpose.OUTCOME)


@rule("review.manage_outcome")
def _manages_outcome(user, project=None) -> bool:
    """The posting union's staff set up the outcome panel (成效评估): its criteria and panelists, and
    remind them — unless recused from it (a bidder's member at the deadline, or one who joined the
    host since)."""
    return (
        project is not None
        and may_write(user)
        and project.union_id in staff_union_ids(user)
        and not is_recused_from_outcome(user, project)
    )


@rule("review.decline")
def _declines(user, notice=None) -> bool:
    """The winning organization's managers may decline the award during its notice (放弃承办)."""
    return notice is not None and may_write(user) and notice.bid.org_id in managed_org_ids(user)
