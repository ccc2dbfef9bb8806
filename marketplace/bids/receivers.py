"""What a project's step does to its bids (receivers of ``lifecycle.project_moved``; the app factory
connects them)."""

from __future__ import annotations

from .operations import notify_bidders, tell_unconfirmed_at_deadline
from .visibility import record_recusals


def record_recusals_at_deadline(project, *, action, **_) -> None:
    """Bidding closed: write down who is recused, as the memberships stood on the deadline."""
    if action == "close_bidding":
        record_recusals(project)


def tell_unconfirmed_bidders(project, *, action, **_) -> None:
    """The deadline passed (with or without a valid bid): a bid left unconfirmed after a change does
    not count, and its organization hears so."""
    if action in ("close_bidding", "fail"):
        tell_unconfirmed_at_deadline(project)


def tell_bidders_of_cancel(project, *, action, **_) -> None:
    """Cancelled, before hosting or with the league's approval: every bidder hears, with the reason
    (the host's managers are told as the host)."""
    if action in ("cancel", "approve_cancel"):
        notify_bidders(
            project, "project.cancelled", except_org_id=project.host_org_id, reason=project.cancel_reason
        )
