"""The survey's and the comment's status tables: every action from every status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from marketplace import clock
from marketplace.extensions import db
from marketplace.surveys.models import SurveyComment, SurveyStatus
from marketplace.surveys.operations import (
    COMMENT_TRANSITIONS,
    COMMENTS,
    SURVEY_TRANSITIONS,
    SURVEYS,
    move_comment,
    move_survey,
)
from tests.statuses import check_action


def _put_in(survey, status) -> None:
    """The status with the facts its CHECK asks for: an opened survey has its window and k."""
    survey.status = status
    if status != SurveyStatus.PREPARED:
        survey.opens_at, survey.closes_at = clock.now(), clock.now() + timedelta(days=21)
        survey.min_responses = 5
    db.session.commit()


def _put_comment_in(comment, status) -> None:
    comment.status = status
    db.session.commit()


def _move_survey(survey, action, actor, reason=None) -> None:
    """The table's move with the facts opening asks for (the CHECK refuses an open survey without)."""
    facts = (
        {"opens_at": clock.now(), "closes_at": clock.now(), "min_responses": 5} if action == "open" else {}
    )
    move_survey(survey, action, actor, **facts)


@pytest.mark.parametrize("action", SURVEY_TRANSITIONS)
def test_each_survey_action_moves_from_its_sources_and_is_refused_from_every_other(action, world):
    check_action(SURVEYS, action, world.survey, _put_in, _move_survey, None)


@pytest.mark.parametrize("action", COMMENT_TRANSITIONS)
def test_each_comment_action_moves_from_its_sources_and_is_refused_from_every_other(action, world):
    comment = SurveyComment(survey_id=world.survey.id, body="意见")
    db.session.add(comment)
    db.session.commit()
    check_action(COMMENTS, action, comment, _put_comment_in, move_comment, world.staff, reason="不当")


@pytest.mark.parametrize(
    "facts",
    [
        {"opens_at": None, "closes_at": None, "min_responses": None},
        {"min_responses": 4},
        {"closes_at": "before it opens"},
    ],
)
def test_the_database_holds_an_opened_survey_to_its_window_and_k_of_at_least_five(world, facts):
    survey = world.survey
    survey.status = SurveyStatus.OPEN
    survey.opens_at, survey.closes_at, survey.min_responses = clock.now(), clock.now(), 5
    for name, value in facts.items():
        setattr(survey, name, clock.now() - timedelta(days=1) if value == "before it opens" else value)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
