"""作答: 1–5 stars per dimension and an optional comment, once per invited student, within the window.
Every refusal says why in Chinese and stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from marketplace.accounts.models import AccountStatus
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.projects import lifecycle
from marketplace.surveys import operations as surveys
from marketplace.surveys.models import SurveyAnswer, SurveyComment, SurveyRating, SurveyRespondent
from tests import factories
from tests.bids.helpers import signed_in
from tests.surveys.helpers import answer_data, answer_form


@pytest.fixture
def survey(world):
    return world.evaluate()


@pytest.fixture
def student(world):
    return world.volunteers[1]


def stored() -> tuple[int, int, int, int]:
    """(has-answered rows, answers, ratings, comments)."""
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (SurveyRespondent, SurveyAnswer, SurveyRating, SurveyComment)
    )


def refused(student, survey, data, message: str) -> None:
    with pytest.raises(DomainError) as refusal:
        surveys.answer(student, survey, data)
    db.session.rollback()
    assert message in refusal.value.message
    assert stored() == (0, 0, 0, 0)


def test_an_invited_student_answers_every_dimension_with_a_comment(survey, student):
    surveys.answer(student, survey, answer_data(survey, (5, 4, 3, 2), "讲解很清楚"))
    db.session.commit()

    assert stored() == (1, 1, 4, 1)
    ratings = db.session.scalars(select(SurveyRating.stars).order_by(SurveyRating.dimension_id)).all()
    assert ratings == [5, 4, 3, 2]
    assert db.session.scalar(select(SurveyComment.body)) == "讲解很清楚"


def test_the_comment_is_optional(survey, student):
    surveys.answer(student, survey, answer_data(survey))
    db.session.commit()
    assert stored() == (1, 1, 4, 0)


def test_an_answer_before_the_survey_opens_is_refused(world, student):
    refused(student, world.survey, answer_data(world.survey), "问卷还没有开始")


def test_an_answer_after_the_window_is_refused(survey, student, world, clock):
    clock.set(survey.closes_at)
    refused(student, survey, answer_data(survey), "问卷已于")


def test_an_answer_after_the_project_closed_early_is_refused(survey, student, world, clock, monkeypatch):
    monkeypatch.setattr(lifecycle, "close_conditions", [])  # what it waits for: tests/evaluation
    lifecycle.apply(world.project, "close", world.staff)
    db.session.commit()
    clock.shift(timedelta(minutes=1))
    refused(student, survey, answer_data(survey), "问卷已于")


def test_an_answer_by_someone_not_invited_is_refused(survey):
    refused(factories.user(), survey, answer_data(survey), "你不在这份问卷的邀请范围内")


def test_a_second_answer_is_refused(survey, student):
    surveys.answer(student, survey, answer_data(survey))
    db.session.commit()
    with pytest.raises(DomainError, match="你已经提交过这份问卷"):
        surveys.answer(student, survey, answer_data(survey, (1, 1, 1, 1), "改主意了"))
    db.session.rollback()
    assert stored() == (1, 1, 4, 0)


@pytest.mark.parametrize("stars", [0, 6, -1, "五", None, 3.5])
def test_stars_outside_one_to_five_are_refused(survey, student, stars):
    data = answer_data(survey)
    data["stars"][survey.dimensions[2].id] = stars
    refused(student, survey, data, "请为“组织有序”选择 1 到 5 颗星")


def test_a_missing_dimension_is_refused(survey, student):
    data = answer_data(survey)
    del data["stars"][survey.dimensions[0].id]
    refused(student, survey, data, "请为“总体满意度”选择 1 到 5 颗星")


def test_a_graduate_may_not_answer(survey, student):
    student.status = AccountStatus.GRADUATED
    db.session.commit()
    with pytest.raises(Forbidden):
        surveys.answer(student, survey, answer_data(survey))
    db.session.rollback()
    assert stored() == (0, 0, 0, 0)


# -- the page -------------------------------------------------------------------------------------------


def test_the_form_says_before_submitting_that_the_answer_cannot_be_viewed_or_changed(app, survey, student):
    page = signed_in(app, student).get(survey.url).get_data(as_text=True)
    assert "提交后不能查看或修改你的回答" in page
    assert page.count('type="radio"') == 4 * 6  # five stars and "not rated" for each dimension
    assert "<script" not in page.split("</footer>")[0] and 'style="' not in page


def test_the_page_submits_an_answer_and_then_says_it_was_received(app, survey, student):
    client = signed_in(app, student)
    response = client.post(survey.url, data=answer_form(survey, (5, 5, 4, 4), "希望多办几期"))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "已匿名提交" in page and 'data-testid="answered"' in page and 'type="radio"' not in page
    assert stored() == (1, 1, 4, 1)


def test_the_page_refuses_bad_stars_beside_the_dimension_and_keeps_what_was_typed(app, survey, student):
    data = answer_form(survey, (5, 5, 4, 4), "希望多办几期")
    data[f"d{survey.dimensions[1].id}"] = "9"

    response = signed_in(app, student).post(survey.url, data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请为“内容对我有用”选择 1 到 5 颗星。" in page
    assert "希望多办几期" in page and f'id="d{survey.dimensions[0].id}-5" value="5" checked' in page
    assert stored() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("who", "when", "message"),
    [
        ("outsider", None, "你不在这份问卷的邀请范围内"),
        ("student", "after", "问卷已于"),
        ("student", "twice", "你已经提交过这份问卷"),
    ],
)
def test_the_page_refuses_in_words_and_stores_nothing(app, survey, student, clock, who, when, message):
    client = signed_in(app, factories.user() if who == "outsider" else student)
    if when == "twice":
        client.post(survey.url, data=answer_form(survey))
    if when == "after":
        clock.set(survey.closes_at + timedelta(seconds=1))
    before = stored()

    response = client.post(survey.url, data=answer_form(survey, (1, 1, 1, 1), "第二次"))

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored() == before


def test_the_page_tells_who_may_not_answer_why_instead_of_a_form(app, world, survey, clock):
    outsider = signed_in(app, factories.user()).get(survey.url).get_data(as_text=True)
    assert 'data-testid="not-invited"' in outsider and 'type="radio"' not in outsider
    clock.set(survey.closes_at)
    late = signed_in(app, world.volunteers[1]).get(survey.url).get_data(as_text=True)
    assert 'data-testid="closed"' in late and 'type="radio"' not in late


def test_the_survey_pages_answer_404_for_an_unknown_survey_and_ask_to_log_in(app, survey):
    assert signed_in(app, factories.user()).get("/surveys/999999").status_code == 404
    assert signed_in(app, factories.user()).get("/surveys/999999/results").status_code == 404
    response = signed_in(app, None).get(survey.url)
    assert response.status_code == 302 and "/login" in response.location
