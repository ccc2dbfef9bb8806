"""What a project's step does to its review and notice (receivers of ``lifecycle.project_moved``;
the app factory connects them)."""

from __future__ import annotations

from . import operations, outcome


def open_review_round(project, *, action, **_) -> None:
    """Bidding closed: the first review round opens, for the staff to seat a panel."""
    if action == "close_bidding":
        operations.open_round(project)


def finalise_notice(project, *, action, actor, reason, **_) -> None:
    if action == "start_hosting":
        operations.after_hosting_starts(project, actor, reason)


def withdraw_notice(project, *, action, actor, reason, **_) -> None:
    if action == "cancel":
        operations.withdraw_notice(project, actor, reason)


def open_outcome_panel(project, *, action, **_) -> None:
    """The completion report is in (评价中): the outcome panel opens, for the staff to seat."""
    if action == "complete":
        outcome.open_panel(project)
