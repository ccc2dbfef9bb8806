"""What a project's step does to its evaluation (receivers of ``lifecycle.project_moved``; the app
factory connects them)."""

from __future__ import annotations

from . import inputs, operations


def score_on_close(project, *, action, **_) -> None:
    """Closed (by the staff, or by the clock at the window's end): the final score is computed from what
    the panel and the survey produced, once. A cancelled project never closes, so never gets one."""
    if action == "close":
        given = inputs.final_inputs(project)
        operations.record_final_score(
            project,
            panel=given.panel,
            dimension_means=given.dimension_means,
            responses=given.responses,
            min_responses=given.min_responses,
        )
