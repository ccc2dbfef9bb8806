"""Exactly one answer per student, whatever the requests racing: the "has answered" row's key is the
rule, in the database. Real concurrent requests on PostgreSQL, each with a session of its own."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import SurveyAnswer, SurveyRating, SurveyRespondent, SurveyStarCount
from tests.bids.helpers import signed_in
from tests.surveys.helpers import SurveyWorld, answer_data, answer_form


def stored() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (SurveyRespondent, SurveyAnswer, SurveyRating)
    )


def race(clients, url: str, data: dict) -> list[tuple[int, str]]:
    """Every client posts ``data`` to ``url`` at the same moment; their (status, page) in turn."""
    barrier = threading.Barrier(len(clients))
    outcomes: list = [None] * len(clients)

    def post(i: int, client) -> None:
        try:
            barrier.wait(timeout=10)
            response = client.post(url, data=data)
            outcomes[i] = (response.status_code, response.get_data(as_text=True))
        except Exception as error:  # anything else would have been a 500
            outcomes[i] = (500, repr(error))

    threads = [threading.Thread(target=post, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.commits
def test_one_student_submitting_from_eight_tabs_at_once_leaves_exactly_one_answer(app, clock):
    world = SurveyWorld(volunteers=2, participants=1)
    survey = world.evaluate()
    student = world.volunteers[1]
    clients = [signed_in(app, student) for _ in range(8)]

    outcomes = race(clients, survey.url, answer_form(survey))

    codes = sorted(code for code, _ in outcomes)
    assert codes == [302] + [422] * 7, [page[:300] for code, page in outcomes if code not in (302, 422)]
    assert all("你已经提交过这份问卷" in page for code, page in outcomes if code == 422)
    assert stored() == (1, 1, 4)


@pytest.mark.postgres
@pytest.mark.commits
def test_students_answering_at_the_same_moment_all_count(app, clock):
    world = SurveyWorld(volunteers=3, participants=3)
    survey = world.evaluate()
    students = [*world.volunteers, *world.participants[1:]]

    outcomes = race([signed_in(app, s) for s in students], survey.url, answer_form(survey))

    assert [code for code, _ in outcomes] == [302] * 6
    assert stored() == (6, 6, 24)
    # Six answers racing to add one to the same star counts: each counted.
    counts = db.session.execute(
        select(SurveyStarCount.dimension_id, func.sum(SurveyStarCount.answers)).group_by(
            SurveyStarCount.dimension_id
        )
    ).all()
    assert sorted(n for _d, n in counts) == [6] * 4


def test_the_database_refuses_a_second_answer_that_got_past_the_check(app, clock, monkeypatch):
    """What a race comes down to: a second request that read "not answered yet" before the first one
    committed. The key refuses it, with the same words, and nothing of it is stored."""
    world = SurveyWorld(volunteers=2, participants=1)
    survey = world.evaluate()
    student = world.volunteers[1]
    surveys.answer(student, survey, answer_data(survey))
    db.session.commit()
    monkeypatch.setattr(surveys, "has_answered", lambda *_: False)

    with pytest.raises(DomainError, match="你已经提交过这份问卷"):
        surveys.answer(student, survey, answer_data(survey, (1, 1, 1, 1)))
    db.session.rollback()

    assert stored() == (1, 1, 4)
