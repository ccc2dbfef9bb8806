"""What the home page asks of surveys (待办): the satisfaction surveys a student is invited to and has
not answered while they are open."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, cast, func, literal, select

from .. import actions
from ..projects.models import Project
from .models import SubjectKind, Survey, SurveyInvitation, SurveyRespondent, SurveyStatus


@actions.kind(
    "survey.to_answer",
    _l("满意度问卷待填写：%(title)s"),
    lambda ref: url_for("surveys.answer", survey_id=int(ref)),
    when=_l("%(at)s 截止"),
)
def surveys_to_answer(viewer) -> Select:
    now = actions.NOW
    answered = (
        select(SurveyRespondent.user_id)
        .where(SurveyRespondent.survey_id == Survey.id, SurveyRespondent.user_id == viewer.id)
        .correlate(Survey)
        .exists()
    )
    return (
        select(
            cast(Survey.id, String).label("ref"),
            func.coalesce(Project.title, literal(_("学生会年度满意度调查"))).label("title"),
            Survey.closes_at.label("at"),
            literal(1).label("n"),
        )
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .outerjoin(Project, Project.id == Survey.project_id)
        .where(
            SurveyInvitation.user_id == viewer.id,
            Survey.kind != SubjectKind.STAFF_TERM,
            Survey.status == SurveyStatus.OPEN,
            Survey.opens_at <= now,
            Survey.closes_at > now,
            ~answered,
        )
    )
