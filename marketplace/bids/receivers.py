"""What a project's step does to its bids (receivers of ``lifecycle.project_moved``; the app factory
connects them)."""

from __future__ import annotations

from .operations import notify_bidders
from .visibility import record_recusals


def record_recusals_at_deadline(project, *, action, **_) -> None:
    """Bidding closed: write down who is recused, as the memberships stood on the deadline."""
    if action == "close_bidding":
        record_recusals(project)


def tell_bidders_of_cancel(project, *, action, reason, **_) -> None:
    if action == "cancel":
        notify_bidders(project, "project.cancelled", reason=reason)
