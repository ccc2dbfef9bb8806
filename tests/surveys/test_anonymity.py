"""Anonymity as far as the app can promise it: nothing the app keeps ties an answer to the student who
gave it. The answer has no user column, a random key and only a date; the "has answered" row is the
bare (survey, user) key; comments stand apart from the stars; and answering writes no audit entry,
notification, mail or log line that names the student."""

from __future__ import annotations

import logging
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.notify.models import Notification, OutboxMessage
from marketplace.surveys.models import SurveyAnswer
from tests.bids.helpers import signed_in
from tests.surveys.helpers import answer_form


@pytest.fixture
def world(world):
    world.evaluate()
    return world


def columns(table: str) -> dict[str, object]:
    return {c["name"]: c["type"] for c in sa.inspect(db.session.connection()).get_columns(table)}


def primary_key(table: str) -> list[str]:
    return sa.inspect(db.session.connection()).get_pk_constraint(table)["constrained_columns"]


def test_the_answer_table_has_no_user_column_and_no_time_finer_than_the_date(world):
    answer = columns("survey_answer")
    # and the rater's group where a subject breaks down by it (同学 / 工作人员), nothing finer
    assert set(answer) == {"id", "survey_id", "answered_on", "rater_group"}
    assert isinstance(answer["answered_on"], sa.Date) and not isinstance(answer["answered_on"], sa.DateTime)
    assert set(columns("survey_rating")) == {"answer_id", "dimension_id", "stars"}


def test_the_has_answered_row_is_the_bare_survey_and_user_key(world):
    assert set(columns("survey_respondent")) == {"survey_id", "user_id"}
    assert primary_key("survey_respondent") == ["survey_id", "user_id"]


def test_a_comment_is_not_linked_to_the_stars_of_its_answer(world):
    assert set(columns("survey_comment")) == {"id", "survey_id", "body", "status"}


def test_answer_keys_are_random_and_say_nothing_of_their_order(world):
    students = [*world.volunteers, *world.participants[1:]]
    world.answer_all(students)
    ids = db.session.scalars(select(SurveyAnswer.id)).all()
    assert len(set(ids)) == len(students) == 6
    assert all(len(key) >= 16 and not key.isdigit() for key in ids)
    # Keys of answers given one after another share no prefix an order could be read from.
    assert len({key[:4] for key in ids}) == len(ids)


def test_the_answer_keeps_the_date_only(world, clock):
    world.answer_all(world.volunteers[:1])
    answered_on = db.session.scalar(select(SurveyAnswer.answered_on))
    assert type(answered_on) is date and not isinstance(answered_on, datetime)
    assert answered_on == clock.today_local()


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (AuditEntry, Notification, OutboxMessage)
    )


def test_answering_writes_no_audit_entry_notification_or_mail(app, world):
    student = world.volunteers[1]
    before = counts()

    response = signed_in(app, student).post(world.survey.url, data=answer_form(world.survey, comment="很好"))

    assert response.status_code == 302
    assert counts() == before


def test_answering_logs_no_line_naming_the_student(app, world, caplog):
    student = world.volunteers[1]
    client = signed_in(app, student)
    with caplog.at_level(logging.DEBUG):
        response = client.post(world.survey.url, data=answer_form(world.survey, comment="很好"))
    assert response.status_code == 302
    said = "\n".join(record.getMessage() for record in caplog.records)
    assert student.name not in said and student.student_no not in said and student.email not in said
