"""计数: how a tallied survey (``SubjectKind.keeps_tally``) keeps its answers — as counts only — and the
star counts every other survey keeps beside its answer rows, so that its results read counts too.

An answer adds one to the row of (survey, the student's college, grade, dimension, stars) for each
dimension, in one statement that inserts the row or increments it where it stands
(INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike): two answers racing each add their
one, and no row ever says that a particular answer was given, or when.
"""

from __future__ import annotations

from sqlalchemy import String, delete, func, insert, select, type_coerce
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .models import STARS, RaterGroup, Survey, SurveyAnswer, SurveyRating, SurveyStarCount, SurveyTally

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def add(survey: Survey, college_id: int, grade: int, stars: dict[int, int]) -> None:
    """One answer of a student of ``college_id`` and ``grade``: ``stars`` maps each dimension to 1–5."""
    rows = [
        {"survey_id": survey.id, "college_id": college_id, "grade": grade, "dimension_id": d, "stars": n}
        for d, n in stars.items()
    ]
    _add_one(SurveyTally, SurveyTally.responses, rows)


def count_stars(stars: dict[int, int], rater_group: RaterGroup | None) -> None:
    """One answer of a survey that keeps answer rows, added to its star counts (``SurveyStarCount``)."""
    group = rater_group.value if rater_group else ""
    _add_one(
        SurveyStarCount,
        SurveyStarCount.answers,
        [{"dimension_id": d, "rater_group": group, "stars": n} for d, n in stars.items()],
    )


def _add_one(model, counter, rows: list[dict]) -> None:
    """Insert each of ``rows`` (its key columns) counting one, or add one to ``counter`` where it stands."""
    upsert = _INSERTS[db.session.get_bind().dialect.name]
    statement = upsert(model).values([{**row, counter.key: 1} for row in rows])
    db.session.execute(
        statement.on_conflict_do_update(index_elements=list(rows[0]), set_={counter.key: counter + 1})
    )


def recount_stars() -> None:
    """Every survey's star counts counted again from its ratings: for rows written in bulk, not through
    ``store_answer`` (the benchmark's seed)."""
    db.session.execute(delete(SurveyStarCount))
    group = func.coalesce(type_coerce(SurveyAnswer.rater_group, String), "")
    db.session.execute(
        insert(SurveyStarCount).from_select(
            ["dimension_id", "rater_group", "stars", "answers"],
            select(SurveyRating.dimension_id, group, SurveyRating.stars, func.count())
            .join(SurveyAnswer, SurveyAnswer.id == SurveyRating.answer_id)
            .group_by(SurveyRating.dimension_id, group, SurveyRating.stars),
        )
    )


def distributions(survey: Survey) -> dict[int, dict[int, int]]:
    """dimension id -> {stars: how many gave them}, over the whole survey (zeros included)."""
    rows = db.session.execute(
        select(SurveyTally.dimension_id, SurveyTally.stars, func.sum(SurveyTally.responses))
        .where(SurveyTally.survey_id == survey.id)
        .group_by(SurveyTally.dimension_id, SurveyTally.stars)
    ).all()
    found: dict[int, dict[int, int]] = {d.id: dict.fromkeys(STARS, 0) for d in survey.dimensions}
    for dimension_id, stars, count in rows:
        found[dimension_id][stars] = int(count)
    return found
