"""满意度看板: what a union's yearly surveys add up to, as its dashboard and export show them — the
year's means per dimension, response count and rate, the year-on-year trend (public), and the
college × grade breakdown with its suppression (for those who may read it). A fixed number of
statements whatever the number of students, colleges or years.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from .. import charts, clock, permissions
from ..extensions import db
from ..orgs.models import College, Organization
from ..school.models import AcademicYear
from ..surveys.models import CommentStatus, SubjectKind, Survey, SurveyComment, SurveyStatus, SurveyTally
from ..surveys.results import SatisfactionResult, count_columns, may_show, results_of
from .operations import of_year, union_order
from .suppression import TOTAL, suppress, table


@dataclass(frozen=True)
class YearRow:
    """One year of the trend: the survey, its counts, and its overall mean once it may be shown."""

    survey: Survey
    answered: int
    invited: int
    overall: Fraction | None

    @property
    def year(self) -> AcademicYear:
        return self.survey.academic_year

    @property
    def response_rate(self) -> Fraction | None:
        return Fraction(self.answered, self.invited) if self.invited else None


@dataclass(frozen=True)
class Cell:
    """A number of the breakdown: how many answered and their mean stars — or hidden, and then
    neither (so no page or export can show what it must not)."""

    responses: int | None
    mean: Fraction | None
    hidden: bool = False


HIDDEN = Cell(responses=None, mean=None, hidden=True)


@dataclass(frozen=True)
class Breakdown:
    """学院 × 年级: ``cells[(college id, grade)]``, with ``TOTAL`` for a row's, a column's and the
    grand total."""

    colleges: list[tuple[int, str]]
    grades: list[int]
    k: int
    cells: dict

    def cell(self, college_id, grade) -> Cell:
        return self.cells[college_id, grade]

    @property
    def hidden_count(self) -> int:
        return sum(c.hidden for c in self.cells.values())


@dataclass(frozen=True)
class Dashboard:
    union: Organization
    years: list[YearRow]
    selected: YearRow | None
    result: SatisfactionResult | None
    breakdown: Breakdown | None
    may_break_down: bool

    @property
    def status(self) -> SurveyStatus | None:
        return self.selected.survey.status_at(clock.now()) if self.selected else None


def _surveys(union: Organization) -> list[tuple[Survey, int, int]]:
    rows = db.session.execute(
        select(Survey, *count_columns())
        .join(AcademicYear, AcademicYear.id == Survey.academic_year_id)
        .where(Survey.kind == SubjectKind.UNION_YEAR, Survey.union_id == union.id)
        .where(Survey.status != SurveyStatus.PREPARED)
        # The selected year's dimensions load with its results; the others' are not read.
        .options(contains_eager(Survey.academic_year))
        .order_by(AcademicYear.starts_on)
    )
    return [(survey, answered, invited) for survey, answered, invited in rows]


def _overall_means(survey_ids: list[int]) -> dict[int, Fraction]:
    """survey id -> the mean of all its stars (every answer rates every dimension)."""
    if not survey_ids:
        return {}
    rows = db.session.execute(
        select(
            SurveyTally.survey_id,
            func.sum(SurveyTally.stars * SurveyTally.responses),
            func.sum(SurveyTally.responses),
        )
        .where(SurveyTally.survey_id.in_(survey_ids))
        .group_by(SurveyTally.survey_id)
    ).all()
    return {survey_id: Fraction(int(stars), int(given)) for survey_id, stars, given in rows if given}


def breakdown_of(survey: Survey) -> Breakdown:
    """The college × grade table of ``survey`` with its suppression (``suppression.suppress``)."""
    dimensions = len(survey.dimensions)
    rows = db.session.execute(
        select(
            SurveyTally.college_id,
            College.name,
            SurveyTally.grade,
            func.sum(SurveyTally.responses),
            func.sum(SurveyTally.stars * SurveyTally.responses),
        )
        .join(College, College.id == SurveyTally.college_id)
        .where(SurveyTally.survey_id == survey.id)
        .group_by(SurveyTally.college_id, College.name, SurveyTally.grade)
    ).all()
    names = {college_id: name for college_id, name, *_ in rows}
    colleges = sorted(names.items(), key=lambda item: item[1])
    grades = sorted({grade for _, _, grade, *_ in rows})
    # Every answer adds one to a row per dimension: a cell's answers are its rows' sum / dimensions.
    counts = {(c, g): int(given) // dimensions for c, _, g, given, _ in rows}
    stars = {(c, g): int(total) for c, _, g, _, total in rows}
    row_keys, col_keys = [c for c, _ in colleges], grades
    grid = table(counts, row_keys, col_keys)
    star_grid = table(stars, row_keys, col_keys)
    hidden = suppress(counts, survey.min_responses, row_keys, col_keys)
    cells = {
        p: HIDDEN if p in hidden else Cell(n, Fraction(star_grid[p], n * dimensions) if n else None)
        for p, n in grid.items()
    }
    return Breakdown(colleges=colleges, grades=grades, k=survey.min_responses, cells=cells)


def year_overview(year: AcademicYear) -> list[tuple[Survey, SurveyStatus, int, int]]:
    """The year's surveys for the console, each with its status now, answers and invited, in one
    statement; in the order of ``operations.surveys_of_year``."""
    rows = db.session.execute(of_year(year).add_columns(*count_columns())).all()
    now = clock.now()
    found = [(survey, survey.status_at(now), answered, invited) for survey, answered, invited in rows]
    return sorted(found, key=lambda row: union_order(row[0]))


def dashboard(union: Organization, year_id: int | None, viewer) -> Dashboard:
    """The union's dashboard for the year ``year_id`` (the latest opened when None)."""
    found = _surveys(union)
    now = clock.now()
    shown = [s.id for s, answered, _ in found if may_show(s, answered, now)]
    means = _overall_means(shown)
    years = [YearRow(s, answered, invited, means.get(s.id)) for s, answered, invited in found]
    selected = next((y for y in years if y.year.id == year_id), None) if year_id else (years or [None])[-1]
    result = None
    if selected is not None:
        result = results_of(selected.survey, now, counted=(selected.answered, selected.invited))
    may_break_down = permissions.can(viewer, "satisfaction.read_breakdown", union)
    breakdown = breakdown_of(selected.survey) if result is not None and may_break_down else None
    return Dashboard(union, years, selected, result, breakdown, may_break_down)


COMMENTS_SHOWN = 50


def comments_sample(survey: Survey) -> tuple[list[SurveyComment], int]:
    """Up to ``COMMENTS_SHOWN`` of the comments not hidden, drawn at random each time (a school's
    survey gathers hundreds), and how many there are; the export holds them all."""
    shown = (SurveyComment.survey_id == survey.id, SurveyComment.status == CommentStatus.SHOWN)
    sample = db.session.scalars(
        select(SurveyComment).where(*shown).order_by(func.random()).limit(COMMENTS_SHOWN)
    ).all()
    total = (
        len(sample) if len(sample) < COMMENTS_SHOWN else db.session.scalar(select(func.count()).where(*shown))
    )
    return sample, total


def trend_chart(board: Dashboard) -> dict | None:
    """The overall mean, year by year (a gap where a year's results are not shown)."""
    if not any(y.overall is not None for y in board.years):
        return None
    return charts.spec(
        "line",
        [y.year.name for y in board.years],
        [
            (
                _("总体平均星级"),
                [None if y.overall is None else round(float(y.overall), 2) for y in board.years],
            )
        ],
        y_max=5,
    )


def grade_chart(breakdown: Breakdown) -> dict:
    """Each grade's mean stars (a gap where the grade's total is hidden)."""
    means = []
    for grade in breakdown.grades:
        cell = breakdown.cell(TOTAL, grade)
        means.append(None if cell.mean is None else round(float(cell.mean), 2))
    return charts.spec(
        "bar", [_("%(grade)s级", grade=g) for g in breakdown.grades], [(_("平均星级"), means)], y_max=5
    )
