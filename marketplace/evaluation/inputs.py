"""What a project's final score is computed from, asked in one place when the project closes.

The outcome panel (成效评估) gives its score (``review.outcome.panel_score``: the exact aggregate of the
submitted seats, None when nobody submitted) and the satisfaction survey (满意度) its mean stars per
dimension, with the number of answers and its k. The survey has closed by then (its receiver runs
before the final score's), so its results read as they will be shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .. import settings
from ..review.outcome import panel_score
from ..surveys.results import counts, results_of, survey_of


@dataclass(frozen=True)
class FinalInputs:
    panel: Fraction | None  # the outcome panel's score, 0–100
    dimension_means: Mapping[str, Fraction] | None  # mean stars by dimension; None below k
    responses: int  # the survey's answers, counted even when fewer than k
    min_responses: int  # k: the survey's own (fixed when it opened), or the setting with no survey


def final_inputs(project) -> FinalInputs:
    survey = survey_of(project)
    if survey is None or survey.min_responses is None:  # no survey, or one that never opened
        return FinalInputs(panel_score(project), None, 0, settings.get("survey_min_responses"))
    counted = counts(survey)
    result = results_of(survey, counted=counted)
    answered = counted[0]
    means = {d.label: d.mean for d in result.dimensions} if result is not None else None
    return FinalInputs(panel_score(project), means, answered, survey.min_responses)
