"""What a project's final score is computed from, asked in one place when the project closes.

The outcome panel (评估小组) gives its score and the satisfaction survey (满意度) its per-dimension mean
stars and the number of answers; this seam hands them to ``operations.record_final_score``. Until
both are wired in, a project closes with neither, and so as 评价未完成.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction


def final_inputs(project) -> tuple[Fraction | None, Mapping[str, Fraction] | None, int]:
    """(the panel's score or None, the survey's mean stars by dimension or None, the answers)."""
    return None, None, 0
