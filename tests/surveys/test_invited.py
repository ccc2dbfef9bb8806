"""A survey's count of the students invited (``Survey.invited``) is written with its invitations, all
written when it opens: the pages read it instead of counting 30,000 rows, so it must say what the rows
say, for a project's survey and for a union's yearly survey alike."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.surveys.models import SurveyInvitation
from marketplace.surveys.results import counts
from tests.satisfaction.helpers import YearWorld
from tests.surveys.helpers import SurveyWorld


def invitations(survey) -> int:
    return db.session.scalar(select(func.count()).where(SurveyInvitation.survey_id == survey.id))


def test_a_project_survey_counts_the_students_it_invited_when_it_opens(app, clock):
    world = SurveyWorld(volunteers=3, participants=2)
    assert world.survey.invited == 0  # prepared: nobody invited yet
    survey = world.evaluate()
    db.session.expire_all()

    assert survey.invited == invitations(survey) == len(world.invited()) > 0
    world.answer_all(world.volunteers[:2])
    assert counts(survey) == (2, survey.invited)


def test_each_yearly_survey_counts_the_students_its_union_serves(app, clock):
    world = YearWorld()
    opened = world.open()
    db.session.expire_all()

    for survey in opened.values():
        assert survey.invited == invitations(survey) == len(YearWorld.invited(survey))
    assert sum(s.invited for s in opened.values()) > 0
