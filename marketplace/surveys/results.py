"""满意度结果: what a survey's answers add up to — and the rule of when they may be shown at all: only
after the window has closed, and only from k answers (``Survey.min_responses``), so that no result
can be traced to the few who gave it. Every page and every caller goes through ``results_of``.

The results read *distributions* (how many gave each dimension each number of stars). A project's
come from its answer rows; a survey that keeps only counts (the union's yearly one, per college and
grade) feeds the same figures from its tally (``tally.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import clock
from ..extensions import db
from ..projects.models import Project
from . import tally
from .models import (
    STARS,
    CommentStatus,
    RaterGroup,
    Survey,
    SurveyComment,
    SurveyRespondent,
    SurveyStarCount,
    SurveyStatus,
)


@dataclass(frozen=True)
class DimensionResult:
    """One dimension's figures: the exact mean of its stars and how many gave each (1 to 5)."""

    label: str
    mean: Fraction
    distribution: dict[int, int]


@dataclass(frozen=True)
class SatisfactionResult:
    """满意度结果 of a survey that may be shown: answers, invited, and each dimension's figures."""

    responses: int
    invited: int
    dimensions: list[DimensionResult]

    @property
    def response_rate(self) -> Fraction | None:
        """Answers / invited (None when nobody was invited)."""
        return Fraction(self.responses, self.invited) if self.invited else None

    @property
    def overall(self) -> Fraction:
        """The mean of the dimensions' means (every answer rates every dimension, so also the mean
        of all the stars given)."""
        return sum((d.mean for d in self.dimensions), Fraction(0)) / len(self.dimensions)


def count_columns() -> tuple:
    """The answers and the invited of the survey in the row (correlated on ``Survey.id``), for a
    statement that reads more with them."""
    # Who answered, as the "has answered" rows say: a tallied survey keeps no answer rows to count.
    answered = select(func.count()).where(SurveyRespondent.survey_id == Survey.id).correlate(Survey)
    return answered.scalar_subquery(), Survey.invited


def counts(survey: Survey) -> tuple[int, int]:
    """(answers, invited) of ``survey``, in one statement."""
    row = db.session.execute(select(*count_columns()).where(Survey.id == survey.id)).one()
    return row[0], row[1]


def may_show(survey: Survey, responses: int, now: datetime | None = None) -> bool:
    """Results show once the window has closed, and only from k answers."""
    now = now or clock.now()
    return survey.status_at(now) == SurveyStatus.CLOSED and responses >= survey.min_responses


def _distributions(survey: Survey) -> dict[int, dict[int, int]]:
    """dimension id -> {stars: how many gave them} (every star from 1 to 5, zeros included)."""
    if survey.kind.keeps_tally:
        return tally.distributions(survey)
    return _rating_distributions(survey.dimensions)


def _rating_distributions(dimensions) -> dict[int, dict[int, int]]:
    """The distributions of ``dimensions`` (of any surveys that keep answer rows), in one statement,
    from their star counts."""
    found: dict[int, dict[int, int]] = {d.id: dict.fromkeys(STARS, 0) for d in dimensions}
    if not found:
        return found
    rows = db.session.execute(
        select(SurveyStarCount.dimension_id, SurveyStarCount.stars, func.sum(SurveyStarCount.answers))
        .where(SurveyStarCount.dimension_id.in_(list(found)))
        .group_by(SurveyStarCount.dimension_id, SurveyStarCount.stars)
    ).all()
    for dimension_id, stars, count in rows:
        found[dimension_id][stars] = int(count)
    return found


def _mean(distribution: dict[int, int]) -> Fraction:
    given = sum(distribution.values())
    return Fraction(sum(stars * n for stars, n in distribution.items()), given) if given else Fraction(0)


def results_of(
    survey: Survey | None, now: datetime | None = None, *, counted: tuple[int, int] | None = None
) -> SatisfactionResult | None:
    """The figures of ``survey``, or None while they may not be shown (see ``may_show``). A page that
    has counted the answers already passes them as ``counted``."""
    if survey is None or survey.status == SurveyStatus.PREPARED:
        return None
    responses, invited = counted or counts(survey)
    if not may_show(survey, responses, now):
        return None
    return _result(survey, responses, invited, _distributions(survey))


def _result(survey: Survey, responses: int, invited: int, distributions: dict) -> SatisfactionResult:
    return SatisfactionResult(
        responses=responses,
        invited=invited,
        dimensions=[
            DimensionResult(d.label, _mean(distributions[d.id]), distributions[d.id])
            for d in survey.dimensions
        ],
    )


def results_of_many(
    surveys: list[Survey], counted: dict[int, tuple[int, int]], now: datetime | None = None
) -> dict[int, SatisfactionResult | None]:
    """``results_of`` for several surveys that keep answer rows (their dimensions loaded), by survey
    id, with their (answers, invited) counted by the caller: one statement however many there are."""
    shown = [s for s in surveys if s.status != SurveyStatus.PREPARED and may_show(s, counted[s.id][0], now)]
    distributions = _rating_distributions([d for s in shown for d in s.dimensions])
    found: dict[int, SatisfactionResult | None] = dict.fromkeys((s.id for s in surveys), None)
    for survey in shown:
        found[survey.id] = _result(survey, *counted[survey.id], distributions)
    return found


def comments_of(survey: Survey) -> list[SurveyComment]:
    """The comments not hidden, in an order of their own each time: the order they were written in
    would say something about who wrote them."""
    return db.session.scalars(
        select(SurveyComment)
        .where(SurveyComment.survey_id == survey.id, SurveyComment.status == CommentStatus.SHOWN)
        .order_by(func.random())
    ).all()


def hidden_count(survey: Survey) -> int:
    """How many of the survey's comments the staff have hidden."""
    return db.session.scalar(
        select(func.count()).where(
            SurveyComment.survey_id == survey.id, SurveyComment.status == CommentStatus.HIDDEN
        )
    )


def chart_spec(result: SatisfactionResult) -> dict:
    """The results as a chart spec (a bar per dimension, its mean stars), for the chart macro."""
    return {
        "kind": "bar",
        "categories": [d.label for d in result.dimensions],
        "series": [{"name": _("平均星级"), "data": [round(float(d.mean), 2) for d in result.dimensions]}],
        "y_max": 5,
    }


# -- a project as the subject -----------------------------------------------------------------------------


def survey_of(project: Project) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.project_id == project.id))


def satisfaction_of(project: Project) -> SatisfactionResult | None:
    """项目满意度: the project's survey results — responses, invited, and per dimension the exact mean
    (a ``Fraction``) and the distribution — or None while they may not be shown: no survey, before
    its window has closed, or fewer answers than its k."""
    return results_of(survey_of(project))


def response_counts(project: Project) -> tuple[int, int]:
    """(answered, invited) of the project's survey; (0, 0) before it has opened. Counts only: they
    may be shown at any time."""
    survey = survey_of(project)
    if survey is None or survey.status == SurveyStatus.PREPARED:
        return 0, 0
    return counts(survey)


def everyone_answered(project: Project) -> bool:
    """Whether every invited student has answered the project's open (or closed) survey — with
    nobody invited, there is nobody left to wait for. False before the survey has opened."""
    survey = survey_of(project)
    if survey is None or survey.status == SurveyStatus.PREPARED:
        return False
    answered, invited = counts(survey)
    return answered >= invited


# -- by rater group (a staff member's term) ---------------------------------------------------------------


def group_results(
    survey: Survey, now: datetime | None = None
) -> dict[RaterGroup, list[DimensionResult]] | None:
    """Each rater group's figures per dimension, or None unless the results may be shown and *every*
    group has at least k answers: a group of fewer — the handful of fellow staff — would be read as
    what those few people said."""
    count = SurveyStarCount
    rows = db.session.execute(
        select(count.rater_group, count.dimension_id, count.stars, count.answers).where(
            count.dimension_id.in_([d.id for d in survey.dimensions]), count.rater_group != ""
        )
    ).all()
    found = {g: {d.id: dict.fromkeys(STARS, 0) for d in survey.dimensions} for g in RaterGroup}
    for group, dimension_id, stars, answers in rows:
        found[RaterGroup(group)][dimension_id][stars] = answers
    first = survey.dimensions[0].id
    sizes = {g: sum(found[g][first].values()) for g in RaterGroup}  # every answer rates every dimension
    if not may_show(survey, min(sizes.values()), now):
        return None
    return {
        g: [DimensionResult(d.label, _mean(found[g][d.id]), found[g][d.id]) for d in survey.dimensions]
        for g in RaterGroup
    }
