"""计数: how a tallied survey (``SubjectKind.keeps_tally``) keeps its answers — as counts only.

An answer adds one to the row of (survey, the student's college, grade, dimension, stars) for each
dimension, in one statement that inserts the row or increments it where it stands
(INSERT … ON CONFLICT DO UPDATE, on PostgreSQL and SQLite alike): two answers racing each add their
one, and no row ever says that a particular answer was given, or when.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from .models import STARS, Survey, SurveyTally

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def add(survey: Survey, college_id: int, grade: int, stars: dict[int, int]) -> None:
    """One answer of a student of ``college_id`` and ``grade``: ``stars`` maps each dimension to 1–5."""
    insert = _INSERTS[db.session.get_bind().dialect.name]
    rows = [
        {
            "survey_id": survey.id,
            "college_id": college_id,
            "grade": grade,
            "dimension_id": dimension_id,
            "stars": value,
            "responses": 1,
        }
        for dimension_id, value in stars.items()
    ]
    statement = insert(SurveyTally).values(rows)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["survey_id", "college_id", "grade", "dimension_id", "stars"],
            set_={"responses": SurveyTally.responses + 1},
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
