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
from .models import SubjectKind, Survey, SurveyInvitation, SurveyRespondent, SurveyStatus
from .results import SatisfactionResult, count_columns, results_of


def survey_page(survey_id: int) -> Survey:
    """The project survey with its dimensions and its subject, or 404 (a staff member's term has its
    own pages, in staff_review)."""
    # One statement: a survey has a handful of dimensions, so joining them costs less than a second query.
    return db.session.scalars(
        select(Survey)
        # A staff member's term is rated on the 述职评议 pages, which check who may rate it.
        .where(Survey.id == survey_id, Survey.kind != SubjectKind.STAFF_TERM)
        .options(
            joinedload(Survey.dimensions),
            joinedload(Survey.project),
            joinedload(Survey.union),
            joinedload(Survey.academic_year),
        )
    ).unique().one_or_none() or abort(404)


def next_close(now: datetime) -> datetime | None:
    """When an open survey's window next ends (its results may then appear). For the page cache."""
    return db.session.scalar(
        select(func.min(Survey.closes_at)).where(Survey.status == SurveyStatus.OPEN, Survey.closes_at > now)
    )


def _standing_columns(user) -> tuple:
    """Whether ``user`` is invited to, and has answered, the survey in the row (correlated on
    ``Survey.id``)."""
    invited = select(SurveyInvitation.user_id).where(
        SurveyInvitation.survey_id == Survey.id, SurveyInvitation.user_id == user.id
    )
    answered = select(SurveyRespondent.user_id).where(
        SurveyRespondent.survey_id == Survey.id, SurveyRespondent.user_id == user.id
    )
    return invited.correlate(Survey).exists(), answered.correlate(Survey).exists()


def standing(user, survey: Survey) -> tuple[bool, bool]:
    """(invited, answered) of ``user``, in one statement."""
    if not getattr(user, "is_authenticated", False):
        return False, False
    row = db.session.execute(select(*_standing_columns(user)).where(Survey.id == survey.id)).one()
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


def _figures(user) -> tuple:
    """What a panel counts of the survey in the row: its answers and invited, and for a signed-in
    visitor whether they are invited and have answered."""
    if getattr(user, "is_authenticated", False):
        return (*count_columns(), *_standing_columns(user))
    return count_columns()


def _panel(survey: Survey, figures) -> Panel:
    """The panel of ``survey`` from the row of ``_figures``."""
    answered, invited, *mine = figures
    invited_me, answered_me = mine or (False, False)
    now = clock.now()
    return Panel(
        survey=survey,
        status=survey.status_at(now),
        answered=answered,
        invited=invited,
        result=results_of(survey, now, counted=(answered, invited)),
        invited_me=bool(invited_me),
        answered_me=bool(answered_me),
    )


def panel(survey: Survey, user) -> Panel:
    """The panel of a survey already loaded: one statement, and one more for the results they show."""
    return _panel(survey, db.session.execute(select(*_figures(user)).where(Survey.id == survey.id)).one())


def project_panel(project: Project, user) -> Panel | None:
    """The project page's section: its survey, if it has one, loaded with what the panel counts (one
    statement, and one more for the results they show)."""
    row = (
        db.session.execute(
            select(Survey, *_figures(user))
            .where(Survey.project_id == project.id)
            .options(joinedload(Survey.dimensions))
        )
        .unique()
        .one_or_none()
    )
    return None if row is None else _panel(row[0], row[1:])
