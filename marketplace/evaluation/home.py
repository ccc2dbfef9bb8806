"""What the home page asks of a host after the close (待办): the improvement plan (整改说明) due."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, cast, literal, select

from .. import actions
from ..projects.models import Project
from .models import ImprovementPlan, ImprovementStatus


@actions.kind(
    "improvement.due",
    _l("请提交整改说明：%(title)s"),
    lambda ref: url_for("evaluation.improvement", project_id=int(ref)),
    when=_l("%(at)s 前提交"),
    applies=actions.manages,
)
def improvements_due(viewer) -> Select:
    return (
        select(
            cast(Project.id, String).label("ref"),
            Project.title.label("title"),
            ImprovementPlan.due_at.label("at"),
            literal(1).label("n"),
        )
        .join(Project, Project.id == ImprovementPlan.project_id)
        .where(
            ImprovementPlan.org_id.in_(viewer.managed_org_ids),
            ImprovementPlan.status == ImprovementStatus.REQUIRED,
        )
    )
