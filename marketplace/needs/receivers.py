"""What a project's step tells the students behind the needs it serves (a receiver of
``lifecycle.project_moved``; the app factory connects it after the final score is recorded)."""

from __future__ import annotations

from ..evaluation.queries import final_of
from ..projects.models import ProjectState
from .operations import tell_of_project


def tell_supporters(project, *, action, **_) -> None:
    """Posted (published, or approved by the league: open for bids) — and closed, with its final
    score: the supporters and authors of its needs hear, in the notification centre."""
    if action in ("publish", "approve") and project.state == ProjectState.OPEN:
        tell_of_project(project, "need.project_posted")
    elif action == "close":
        final = final_of(project)
        tell_of_project(project, "need.project_closed", score=final.score if final is not None else None)
