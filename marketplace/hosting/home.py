"""What the home page asks of a host (待办): the completion report (结项报告) once the hosting period
has ended, and the participants' check-in on the days the project runs."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, cast, exists, literal, select, type_coerce

from .. import actions
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from ..timeutil import UTCDateTime
from .models import CompletionReport


def _hosting(viewer) -> Select:
    return select(
        cast(Project.id, String).label("ref"),
        Project.title.label("title"),
        type_coerce(Project.hosting_ends_on, UTCDateTime()).label("at"),
        literal(1).label("n"),
    ).where(
        Project.host_org_id.in_(viewer.managed_org_ids), lifecycle.effective_state_in(ProjectState.HOSTING)
    )


@actions.kind(
    "project.completion_due",
    _l("承办期已结束，请提交结项报告：%(title)s"),
    lambda ref: url_for("credits.completion", project_id=int(ref)),
    applies=actions.manages,
)
def completion_reports_due(viewer) -> Select:
    reported = exists().where(CompletionReport.project_id == Project.id)
    return _hosting(viewer).where(Project.hosting_ends_on <= actions.TODAY, ~reported)


@actions.kind(
    "participants.today",
    _l("承办中：%(title)s（可开启今天的参与者签到）"),
    lambda ref: url_for("hosting.console", project_id=int(ref), _anchor="participants"),
    applies=actions.manages,
)
def participant_checkin(viewer) -> Select:
    today = actions.TODAY
    return _hosting(viewer).where(Project.hosting_starts_on <= today, Project.hosting_ends_on >= today)
