"""What a project's step does to its satisfaction survey (receivers of ``lifecycle.project_moved``;
the app factory connects them)."""

from __future__ import annotations

from .operations import close_early, open_for_project, prepare_for_project
from .results import survey_of

# The project is done with before its window's end (by the clock at the end, the window has ended).
ENDING = frozenset({"close", "approve_cancel"})


def prepare_with_hosting(project, *, action, **_) -> None:
    """Hosting starts: the survey is prepared with the default dimensions, which the posting union's
    staff may change until it opens."""
    if action == "start_hosting":
        prepare_for_project(project)


def open_with_evaluation(project, *, action, **_) -> None:
    """评价中: the survey opens until the evaluation window ends, and those who took part are invited."""
    if action == "complete":
        open_for_project(project)


def close_with_project(project, *, action, **_) -> None:
    """A project closed early by its staff, or cancelled while being evaluated: its survey closes now,
    so that what follows the close (the final score) reads its results."""
    if action in ENDING and (survey := survey_of(project)) is not None:
        close_early(survey)
