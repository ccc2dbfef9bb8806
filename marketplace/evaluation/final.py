"""The final score (最终得分), exactly: a pure function of the panel's score, the survey's means and
the settings in force.

- satisfaction = the mean over the dimensions of each dimension's mean stars (1–5), scaled to 0–100
  as (mean − 1) / 4 × 100;
- final = panel × w + satisfaction × (1 − w), w = the panel's weight in percent / 100;
- with fewer than k answers the survey does not count: the panel's score alone;
- with no submitted panel: the satisfaction alone;
- with neither: no score, and the evaluation is incomplete (评价未完成).

Everything is a Fraction until the end; the score is rounded once, half up, to 0.01.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .models import FinalOutcome

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FinalResult:
    outcome: FinalOutcome
    score: Decimal | None  # rounded half up to 0.01
    panel: Fraction | None  # the panel's score, when it counted
    satisfaction: Fraction | None  # the students' score, when it counted


def satisfaction_score(dimension_means: Mapping[str, Fraction]) -> Fraction:
    """The survey's means (1–5 stars per dimension) as one score out of 100."""
    means = [Fraction(mean) for mean in dimension_means.values()]
    overall = sum(means, Fraction(0)) / len(means)
    return (overall - 1) / 4 * 100


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """``value`` rounded half up, computed on integers so no digit is lost on the way (a score never
    is negative)."""
    scale = 10**places
    return Decimal(math.floor(value * scale + Fraction(1, 2))).scaleb(-places)


def final_score(
    panel: Fraction | None,
    dimension_means: Mapping[str, Fraction] | None,
    responses: int,
    *,
    min_responses: int,
    panel_weight_percent: int,
) -> FinalResult:
    """The project's final score from its inputs; see the module's rules."""
    satisfaction = (
        satisfaction_score(dimension_means) if dimension_means and responses >= min_responses else None
    )
    panel = Fraction(panel) if panel is not None else None
    if panel is not None and satisfaction is not None:
        weight = Fraction(panel_weight_percent, 100)
        exact = panel * weight + satisfaction * (1 - weight)
    elif panel is not None or satisfaction is not None:
        exact = panel if panel is not None else satisfaction
    else:
        return FinalResult(FinalOutcome.INCOMPLETE, None, None, None)
    return FinalResult(FinalOutcome.SCORED, rounded(exact), panel, satisfaction)
