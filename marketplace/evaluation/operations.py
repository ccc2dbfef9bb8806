"""评价's changes: recording a closed project's final score, the improvement plan (整改说明) a low score
requires, its submission by the host's managers, and the reminder before it is due.

An improvement plan's status changes only through ``IMPROVEMENTS`` (required → submitted); overdue is
read from the clock. Nothing here commits but the periodic reminder, one plan per transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, clock, permissions, settings
from ..errors import DomainError
from ..extensions import db
from ..models_base import claim_due
from ..notify import operations as notify
from ..orgs.queries import managers_of
from ..projects.models import Project, ProjectState
from ..statuses import NEW, StatusTable
from . import final
from .models import FinalOutcome, FinalScore, ImprovementPlan, ImprovementStatus

# What the audit entry of a final score keeps: the score and everything it was computed from.
FINAL_FIELDS = [
    "outcome",
    "score",
    "panel_score",
    "satisfaction_score",
    "responses",
    "min_responses",
    "panel_weight_percent",
]
# How long before an improvement plan is due its host's managers are reminded (once).
REMIND_BEFORE = timedelta(days=3)

IMPROVEMENT_TRANSITIONS = {
    "require": (frozenset({NEW}), ImprovementStatus.REQUIRED),  # the final score fell below the line
    "submit": (frozenset({ImprovementStatus.REQUIRED}), ImprovementStatus.SUBMITTED),
}
IMPROVEMENTS = StatusTable("improvement", _l("这份整改说明"), IMPROVEMENT_TRANSITIONS)


def move_improvement(plan: ImprovementPlan, action: str, actor, **facts) -> None:
    """The only way an improvement plan's status changes (actor None: required by the close)."""
    IMPROVEMENTS.move(plan, action, actor, project_id=plan.project_id, **facts)


def _four_places(value: Fraction | None) -> Decimal | None:
    return None if value is None else final.rounded(value, 4)


def record_final_score(
    project: Project,
    *,
    panel: Fraction | None,
    dimension_means: Mapping[str, Fraction] | None,
    responses: int,
    min_responses: int | None = None,
) -> FinalScore:
    """最终得分: compute the closed project's final score with the weight in force and ``min_responses``
    (the survey's k; the setting in force when not given), store it with its inputs, and require an
    improvement plan of the host when it falls below the line."""
    if project.state != ProjectState.CLOSED:
        raise ValueError(f"only a closed project has a final score, not one {project.state}")
    now = clock.now()
    k = min_responses if min_responses is not None else settings.get("survey_min_responses")
    weight = settings.get("panel_weight_percent")
    result = final.final_score(
        panel, dimension_means, responses, min_responses=k, panel_weight_percent=weight
    )
    # The clock may persist the close a while after the window ended: the evaluation ended then.
    ends = project.evaluation_ends_at
    row = FinalScore(
        project_id=project.id,
        outcome=result.outcome,
        score=result.score,
        panel_score=_four_places(result.panel),
        satisfaction_score=_four_places(result.satisfaction),
        responses=responses,
        min_responses=k,
        panel_weight_percent=weight,
        closed_at=min(now, ends) if ends is not None else now,
        computed_at=now,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        None,
        "evaluation.final_score",
        row,
        after=audit.snapshot(row, FINAL_FIELDS),
        project_id=project.id,
    )
    threshold = settings.get("improvement_threshold")
    if result.outcome == FinalOutcome.SCORED and result.score < threshold:
        _require_improvement(project, row, threshold)
    return row


def _require_improvement(project: Project, row: FinalScore, threshold: int) -> None:
    plan = ImprovementPlan(
        project_id=project.id,
        org_id=project.host_org_id,
        threshold=threshold,
        due_at=row.closed_at + timedelta(days=settings.get("improvement_days")),
    )
    db.session.add(plan)
    move_improvement(plan, "require", None)
    for membership in managers_of([project.host_org_id]):
        notify.send(
            membership.user,
            "evaluation.improvement_required",
            link=project.url,
            project=project,
            score=row.score,
            threshold=threshold,
            due_at=plan.due_at,
        )


def improvement_of(project: Project) -> ImprovementPlan | None:
    return db.session.scalar(select(ImprovementPlan).where(ImprovementPlan.project_id == project.id))


def submit_improvement(actor, project: Project, data: dict) -> ImprovementPlan:
    """整改说明: the host's managers say what they will change (Markdown), late or not; once."""
    permissions.require(actor, "evaluation.improve", project)
    plan = improvement_of(project)
    if plan is None:
        raise DomainError(_("这个项目的最终得分不低于整改分数线，不需要提交整改说明。"))
    body = (data.get("body") or "").strip()
    if not body:
        raise DomainError(_("请填写整改说明。"), field="body")
    move_improvement(plan, "submit", actor, body=body, submitted_at=clock.now(), submitted_by_id=actor.id)
    return plan


def send_improvement_reminders(now: datetime | None = None) -> int:
    """Within ``REMIND_BEFORE`` of the due time, remind the host's managers of a plan still missing —
    once: a conditional UPDATE claims the plan first, so two workers never send it twice."""
    now = now or clock.now()
    sent = 0
    missing = ImprovementPlan.status == ImprovementStatus.REQUIRED
    for plan in claim_due(
        ImprovementPlan, "reminded_at", ImprovementPlan.due_at, REMIND_BEFORE, now, missing
    ):
        for membership in managers_of([plan.org_id]):
            notify.send(
                membership.user,
                "evaluation.improvement_due",
                link=plan.project.url,
                project=plan.project,
                due_at=plan.due_at,
            )
            sent += 1
        db.session.commit()
    return sent
