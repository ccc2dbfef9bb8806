"""Answering a union's yearly survey: once per student, anonymous, and kept as counts only — no answer
rows, no dates; every dimension rated, so a cell's answers are its count."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import (
    SurveyAnswer,
    SurveyComment,
    SurveyRating,
    SurveyRespondent,
    SurveyTally,
)
from tests.bids.helpers import signed_in
from tests.satisfaction.helpers import YearWorld, answer_data, answer_form
from tests.surveys.test_concurrency import race


@pytest.fixture
def world(app):
    return YearWorld()


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def tally(survey) -> dict:
    rows = db.session.scalars(select(SurveyTally).where(SurveyTally.survey_id == survey.id)).all()
    return {(t.college_id, t.grade, t.dimension_id, t.stars): t.responses for t in rows}


def test_an_answer_keeps_no_answer_rows_only_counts_per_college_grade_dimension_and_stars(world):
    survey = world.open()[world.school_union.id]
    college = world.colleges[0]
    students = world.undergraduates[college.id, 2023]

    world.answer_all(survey, students[:1], stars=(5, 4, 3, 2, 1))
    world.answer_all(survey, students[1:], stars=(5, 5, 5, 5, 5))

    assert count(SurveyAnswer) == 0 and count(SurveyRating) == 0
    first, second, *_ = survey.dimensions
    counted = tally(survey)
    assert counted[college.id, 2023, first.id, 5] == 2
    assert counted[college.id, 2023, second.id, 4] == 1 and counted[college.id, 2023, second.id, 5] == 1
    assert sum(counted.values()) == 2 * len(survey.dimensions)
    assert count(SurveyRespondent) == 2


def test_the_tally_table_has_no_column_that_could_name_an_answer_or_its_time():
    assert {c.name for c in SurveyTally.__table__.columns} == {
        "survey_id",
        "college_id",
        "grade",
        "dimension_id",
        "stars",
        "responses",
    }


def test_a_comment_is_kept_without_college_grade_or_stars(world):
    survey = world.open()[world.school_union.id]
    world.answer_all(survey, world.all_undergraduates()[:1], comment="希望多办讲座")

    comment = db.session.scalars(select(SurveyComment)).one()
    assert comment.body == "希望多办讲座"
    assert {c.name for c in SurveyComment.__table__.columns} == {"id", "survey_id", "body", "status"}


def test_every_dimension_must_be_rated_and_a_refused_answer_stores_nothing(world):
    survey = world.open()[world.school_union.id]
    student = world.all_undergraduates()[0]
    data = answer_data(survey)
    del data["stars"][survey.dimensions[-1].id]

    with pytest.raises(DomainError, match=survey.dimensions[-1].label):
        surveys.answer(student, survey, data)
    db.session.rollback()

    assert count(SurveyTally) == 0 and count(SurveyRespondent) == 0


def test_a_student_outside_the_unions_scope_may_not_answer(world):
    survey = world.open()[world.graduate_union.id]

    with pytest.raises(DomainError, match="服务范围"):
        surveys.answer(world.all_undergraduates()[0], survey, answer_data(survey))


def test_a_student_whose_grade_was_cleared_after_the_opening_is_told_why_and_nothing_is_stored(app, world):
    survey = world.open()[world.school_union.id]
    student = world.all_undergraduates()[0]
    student.grade = None
    db.session.commit()

    response = signed_in(app, student).post(survey.url, data=answer_form(survey))

    assert response.status_code == 422 and "缺少学院或年级信息" in response.get_data(as_text=True)
    assert count(SurveyTally) == 0 and count(SurveyRespondent) == 0


def test_the_database_refuses_a_second_answer_that_got_past_the_check(world, monkeypatch):
    survey = world.open()[world.school_union.id]
    student = world.all_undergraduates()[0]
    surveys.answer(student, survey, answer_data(survey))
    db.session.commit()
    monkeypatch.setattr(surveys, "has_answered", lambda *_: False)

    with pytest.raises(DomainError, match="你已经提交过这份问卷"):
        surveys.answer(student, survey, answer_data(survey))
    db.session.rollback()

    assert sum(tally(survey).values()) == len(survey.dimensions)


@pytest.mark.postgres
@pytest.mark.commits
def test_one_student_submitting_from_eight_tabs_at_once_is_counted_once(app, clock):
    world = YearWorld()
    survey = world.open()[world.school_union.id]
    student = world.all_undergraduates()[0]

    outcomes = race([signed_in(app, student) for _ in range(8)], survey.url, answer_form(survey))

    codes = sorted(code for code, _ in outcomes)
    assert codes == [302] + [422] * 7, [page[:300] for code, page in outcomes if code not in (302, 422)]
    assert count(SurveyRespondent) == 1
    assert sum(tally(survey).values()) == len(survey.dimensions)


@pytest.mark.postgres
@pytest.mark.commits
def test_students_of_one_cell_answering_at_the_same_moment_all_count(app, clock):
    world = YearWorld(per_cell=6)
    survey = world.open()[world.school_union.id]
    college = world.colleges[0]
    students = world.undergraduates[college.id, 2024]

    outcomes = race([signed_in(app, s) for s in students], survey.url, answer_form(survey))

    assert [code for code, _ in outcomes] == [302] * 6
    first = survey.dimensions[0]
    assert tally(survey)[college.id, 2024, first.id, 4] == 6
