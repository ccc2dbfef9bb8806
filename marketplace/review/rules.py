"""Who may take part in review and the notice: the ``review.*`` actions of the policy."""

from __future__ import annotations

from ..accounts.models import AccountKind
from ..permissions import managed_org_ids, may_write, rule
from .operations import is_seated


@rule("review.object")
def _objects(user, project=None) -> bool:
    """Any student may object to an award notice (异议)."""
    return may_write(user) and user.kind == AccountKind.STUDENT


@rule("review.panel")
def _on_panel(user, project=None) -> bool:
    return project is not None and may_write(user) and is_seated(user, project)


@rule("review.decline")
def _declines(user, notice=None) -> bool:
    """The winning organization's managers may decline the award during its notice (放弃承办)."""
    return notice is not None and may_write(user) and notice.bid.org_id in managed_org_ids(user)
