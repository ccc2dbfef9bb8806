"""What the survey pages read, each query saying what it loads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import clock
from ..extensions import db
from ..projects.models import Project
from .models import Survey, SurveyInvitation, SurveyRespondent, SurveyStatus
from .results import SatisfactionResult, count_columns, results_of


def survey_page(survey_id: int) -> Survey:
    """The survey with its dimensions and its subject, or 404."""
    # One statement: a survey has a handful of dimensions, so joining them costs less than a second query.
    return db.session.scalars(
        select(Survey)
        .where(Survey.id == survey_id)
        .options(joinedload(Survey.dimensions), joinedload(Survey.project))
    ).unique().one_or_none() or abort(404)


def next_close(now: datetime) -> datetime | None:
    """When an open survey's window next ends (its results may then appear). For the page cache."""
    return db.session.scalar(
        select(func.min(Survey.closes_at)).where(Survey.status == SurveyStatus.OPEN, Survey.closes_at > now)
    )


def _standing_columns(user, survey: Survey) -> list:
    invited = select(SurveyInvitation.user_id).where(
        SurveyInvitation.survey_id == survey.id, SurveyInvitation.user_id == user.id
    )
    answered = select(SurveyRespondent.user_id).where(
        SurveyRespondent.survey_id == survey.id, SurveyRespondent.user_id == user.id
    )
    return [invited.exists(), answered.exists()]


def standing(user, survey: Survey) -> tuple[bool, bool]:
    """(invited, answered) of ``user``, in one statement."""
    if not getattr(user, "is_authenticated", False):
        return False, False
    row = db.session.execute(select(*_standing_columns(user, survey))).one()
    return bool(row[0]), bool(row[1])


@dataclass(frozen=True)
class Panel:
    """A survey as a page shows it: its status now, the counts, the results if they may be shown,
    and where the signed-in visitor stands."""

    survey: Survey
    status: SurveyStatus
    answered: int
    invited: int
    result: SatisfactionResult | None
    invited_me: bool
    answered_me: bool

    @property
    def may_answer(self) -> bool:
        return self.status == SurveyStatus.OPEN and self.invited_me and not self.answered_me


def panel(survey: Survey, user) -> Panel:
    """The survey as a page shows it to ``user``: its counts and where the user stands, asked in one
    statement (the counts once it has opened, the standing of a signed-in user)."""
    now = clock.now()
    opened = survey.status != SurveyStatus.PREPARED
    signed_in = getattr(user, "is_authenticated", False)
    columns = [
        *(count_columns(survey) if opened else ()),
        *(_standing_columns(user, survey) if signed_in else ()),
    ]
    row = list(db.session.execute(select(*columns)).one()) if columns else []
    answered, invited = (row.pop(0), row.pop(0)) if opened else (0, 0)
    invited_me, answered_me = (bool(row[0]), bool(row[1])) if signed_in else (False, False)
    return Panel(
        survey=survey,
        status=survey.status_at(now),
        answered=answered,
        invited=invited,
        result=results_of(survey, now, counted=(answered, invited)),
        invited_me=invited_me,
        answered_me=answered_me,
    )


def project_panel(project: Project, user) -> Panel | None:
    """The project page's section: its survey, if it has one."""
    survey = (
        db.session.scalars(
            select(Survey).where(Survey.project_id == project.id).options(joinedload(Survey.dimensions))
        )
        .unique()
        .one_or_none()
    )
    return None if survey is None else panel(survey, user)
