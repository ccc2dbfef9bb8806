"""Posting (发榜): drafts, publishing, changes while bidding is open, Q&A, reposting a failed project.

State changes go through projects.lifecycle.apply; these functions check the rest of the rules,
change the objects, write the audit log and queue notifications. None of them commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, select

from .. import audit, clock, permissions, settings
from ..bids.models import Bid, BidStatus
from ..bids.operations import ask_bidders_to_reconfirm, notify_bidders
from ..errors import Conflict, DomainError
from ..extensions import db
from ..models_base import claim_due
from ..notify import operations as notify
from ..orgs.models import MemberRole, Membership, Organization
from ..timeutil import SCHOOL_TZ
from ..urls import path_for
from . import lifecycle
from .models import Criterion, CriterionPurpose, Project, ProjectChange, ProjectState, Question

# The default review template (评审标准模板) offered on a new project; staff edit it freely.
DEFAULT_CRITERIA = [
    (_l("方案可行性"), _l("目标清楚，步骤具体，时间安排合理，能按期完成"), 30),
    (_l("服务同学实效"), _l("切中同学们的真实需求，受益面广，效果可检验"), 30),
    (_l("预算合理性"), _l("预算明细清楚，开支必要、节约，与预期成效相称"), 20),
    (_l("团队能力"), _l("团队分工明确，有相关经验或承办记录，志愿者安排妥当"), 20),
]

PROJECT_FIELDS = [
    "title",
    "category",
    "description",
    "expected_outcomes",
    "budget_cap",
    "allow_college_union",
    "allow_club",
    "allow_class",
    "bid_deadline",
    "hosting_starts_on",
    "hosting_ends_on",
    "credit_category_id",
    "flagged_major",
]
# Changing any of these while bidding is open asks every bidder to re-confirm (docs/lifecycle.md).
REQUIREMENT_FIELDS = {
    "description",
    "budget_cap",
    "allow_college_union",
    "allow_club",
    "allow_class",
    "bid_deadline",
    "criteria",
}


# Drafts are edited freely; open projects as a recorded change (变更). Later states are fixed.
EDITABLE_STATES = frozenset({ProjectState.DRAFT, ProjectState.OPEN})


def default_criteria() -> list[dict]:
    return [{"name": str(n), "description": str(d), "weight": w} for n, d, w in DEFAULT_CRITERIA]


def criteria_snapshot(project: Project, purpose: CriterionPurpose = CriterionPurpose.BID) -> list[dict]:
    """The project's criteria of ``purpose`` as the forms and ``set_criteria`` take them."""
    return [
        {"name": c.name, "description": c.description, "weight": c.weight}
        for c in project.criteria
        if c.purpose == purpose
    ]


def _filled_criteria(criteria: list[dict]) -> list[dict]:
    """The rows that name a criterion, trimmed (a form offers blank rows to add more)."""
    return [
        {
            "name": c["name"].strip(),
            "description": (c.get("description") or "").strip(),
            "weight": c["weight"],
        }
        for c in criteria
        if (c.get("name") or "").strip()
    ]


def check_criteria(criteria: list[dict]) -> None:
    """Criteria (评审标准) as a form sends them: at least one, whole weights of 1–100 summing to 100."""
    rows = [c for c in criteria if (c.get("name") or "").strip()]
    if not rows:
        raise DomainError(_("请至少填写一项评审标准。"), field="criteria")
    if any(not isinstance(c.get("weight"), int) or not 0 < c["weight"] <= 100 for c in rows):
        raise DomainError(_("每项评审标准的权重应为 1 到 100 之间的整数。"), field="criteria")
    total = sum(c["weight"] for c in rows)
    if total != 100:
        raise DomainError(_("评审标准的权重合计应为 100，现在是 %(total)s。", total=total), field="criteria")


def _check_dates(data: dict, now: datetime, *, new_deadline: bool = True) -> None:
    """``new_deadline``: the deadline is being set now, so it must lie ahead (an open project's
    unchanged deadline is left to the clock)."""
    deadline = data["bid_deadline"]
    if new_deadline and deadline <= now:
        raise DomainError(_("竞标截止时间必须晚于现在。"), field="bid_deadline")
    if data["hosting_ends_on"] < data["hosting_starts_on"]:
        raise DomainError(_("承办结束日期不能早于开始日期。"), field="hosting_ends_on")
    if data["hosting_starts_on"] < deadline.astimezone(SCHOOL_TZ).date():
        raise DomainError(_("承办期应在竞标截止之后开始。"), field="hosting_starts_on")


def _check_fields(data: dict) -> None:
    if not (data["allow_college_union"] or data["allow_club"] or data["allow_class"]):
        raise DomainError(_("请至少选择一类可以竞标的组织。"), field="allow_club")
    if data["budget_cap"] is None or Decimal(data["budget_cap"]) <= 0:
        raise DomainError(_("预算上限必须大于 0。"), field="budget_cap")


def set_criteria(
    project: Project, criteria: list[dict], purpose: CriterionPurpose = CriterionPurpose.BID
) -> None:
    """Replace the project's criteria of ``purpose`` (checked by ``check_criteria`` first)."""
    for old in [c for c in project.criteria if c.purpose == purpose]:
        project.criteria.remove(old)
    for position, c in enumerate(_filled_criteria(criteria)):
        project.criteria.append(Criterion(purpose=purpose, position=position, **c))


def create_draft(actor, data: dict) -> Project:
    """发榜第一步: a draft for one of the unions the actor works for (``data["union_id"]``)."""
    permissions.require(actor, "project.post")
    if data["union_id"] not in permissions.staff_union_ids(actor):
        raise DomainError(_("只能以你所在的学生会（研究生会）名义发榜。"), field="union_id")
    _check_fields(data)
    check_criteria(data["criteria"])
    _check_dates(data, clock.now())
    project = Project(union_id=data["union_id"], created_by_id=actor.id, state=ProjectState.DRAFT)
    for name in PROJECT_FIELDS:
        setattr(project, name, data[name])
    set_criteria(project, data["criteria"])
    db.session.add(project)
    db.session.flush()
    audit.record(
        actor, "project.create", project, after=audit.snapshot(project, PROJECT_FIELDS), project_id=project.id
    )
    return project


def update_project(actor, project: Project, data: dict) -> Project:
    """Edit a draft freely; edit an open project as a recorded change (变更) that every bidder hears of,
    that asks submitted bids to be re-confirmed, and that moves a near deadline out. ``data["version"]``
    is the version the editor started from (None: no check), ``data["reason"]`` the change's reason."""
    version = data.get("version")
    lifecycle.lock(project)
    lifecycle.catch_up(project)
    permissions.require(actor, "project.edit", project)
    if version is not None and version != project.version:
        raise Conflict(_("这个项目刚在别处被修改过。你填写的内容仍保留在下面，请核对最新内容后再保存。"))
    if project.state not in EDITABLE_STATES:
        raise lifecycle.IllegalTransition(project.state, "edit")
    reason = (data.get("reason") or "").strip()
    if project.state == ProjectState.OPEN and not reason:
        raise DomainError(_("竞标期间修改项目，请填写变更说明，竞标方会看到它。"), field="reason")
    _check_fields(data)
    check_criteria(data["criteria"])
    now = clock.now()
    changes = {
        name: [getattr(project, name), data[name]]
        for name in PROJECT_FIELDS
        if getattr(project, name) != data[name]
    }
    criteria = _filled_criteria(data["criteria"])
    if criteria_snapshot(project) != criteria:
        changes["criteria"] = [criteria_snapshot(project), criteria]
    if not changes:
        return project
    _check_dates(data, now, new_deadline="bid_deadline" in changes or project.state == ProjectState.DRAFT)
    for name in PROJECT_FIELDS:
        setattr(project, name, data[name])
    if "criteria" in changes:
        set_criteria(project, data["criteria"])
    if project.state == ProjectState.OPEN:
        _record_change(actor, project, changes, reason, now)
    else:
        audit.record(
            actor,
            "project.update",
            project,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
            project_id=project.id,
        )
    db.session.flush()
    return project


def _record_change(actor, project: Project, changes: dict, reason: str, now: datetime) -> None:
    moved_to = None
    requirements_changed = bool(REQUIREMENT_FIELDS & changes.keys())
    if requirements_changed:
        floor = now + timedelta(days=settings.get("change_min_days"))
        if project.bid_deadline < floor:
            moved_to = floor
            # Before the change: the old deadline, whether or not staff had typed a new one.
            changes["bid_deadline"] = [changes.get("bid_deadline", [project.bid_deadline])[0], floor]
            project.bid_deadline = floor
        ask_bidders_to_reconfirm(project)
    change = ProjectChange(
        project_id=project.id,
        actor_id=actor.id,
        at=now,
        changes=audit.plain(changes),
        reason=reason or "",
        deadline_moved_to=moved_to,
    )
    db.session.add(change)
    audit.record(
        actor,
        "project.change",
        project,
        before={k: v[0] for k, v in changes.items()},
        after={k: v[1] for k, v in changes.items()},
        reason=reason or None,
        project_id=project.id,
    )
    # The message asks bidders to re-confirm: only a change of requirements does that.
    if requirements_changed:
        notify_bidders(project, "project.changed", change=change)


def publish(actor, project: Project) -> None:
    """发布: straight to open, or to the league reviewer first when the project is major."""
    permissions.require(actor, "project.publish", project)
    _check_dates(
        {
            "bid_deadline": project.bid_deadline,
            "hosting_starts_on": project.hosting_starts_on,
            "hosting_ends_on": project.hosting_ends_on,
        },
        clock.now(),
    )
    check_criteria(criteria_snapshot(project))
    lifecycle.apply(project, "submit" if project.is_major else "publish", actor)


def approve(actor, project: Project) -> None:
    """团委审核通过: the project opens for bidding — unless its deadline passed while it waited, when
    it would fail at once; the reviewer returns it instead so that staff set a new deadline."""
    permissions.require(actor, "project.approve", project)
    if project.bid_deadline <= clock.now():
        raise DomainError(_("竞标截止时间已过，请退回草稿，由发榜方修改截止时间后重新提交。"))
    lifecycle.apply(project, "approve", actor)


def repost(actor, failed: Project) -> Project:
    """重新发榜: a failed (流标) project becomes a new draft copied from it."""
    permissions.require(actor, "project.edit", failed)
    # Record the failure first if only the clock knew of it, so the old project's timeline shows it.
    lifecycle.lock(failed)
    lifecycle.catch_up(failed)
    if failed.state != ProjectState.FAILED:
        raise DomainError(_("只有流标的项目可以重新发榜。"))
    copy = Project(
        union_id=failed.union_id, created_by_id=actor.id, state=ProjectState.DRAFT, reposted_from_id=failed.id
    )
    for name in PROJECT_FIELDS:
        setattr(copy, name, getattr(failed, name))
    now = clock.now()
    span = failed.hosting_ends_on - failed.hosting_starts_on
    # Whole minutes, as the form shows it: otherwise saving the form unchanged would record a deadline
    # change (and, once open, ask every bidder to re-confirm).
    copy.bid_deadline = (now + timedelta(days=14)).replace(second=0, microsecond=0)
    copy.hosting_starts_on = (copy.bid_deadline + timedelta(days=7)).date()
    copy.hosting_ends_on = copy.hosting_starts_on + span
    set_criteria(copy, criteria_snapshot(failed))
    db.session.add(copy)
    db.session.flush()
    audit.record(actor, "project.repost", copy, before={"from": failed.id}, project_id=copy.id)
    return copy


# -- Q&A ---------------------------------------------------------------------------------------------


def questions_close_at(project: Project) -> datetime:
    return project.bid_deadline - timedelta(hours=settings.get("question_cutoff_hours"))


def ask_question(actor, project: Project, data: dict) -> Question:
    permissions.require(actor, "project.ask", project)
    body = data["body"]
    if not body.strip():
        raise DomainError(_("请填写问题。"), field="body")
    if lifecycle.effective_state(project) != ProjectState.OPEN:
        raise DomainError(_("项目不在竞标期，不能提问。"), field="body")
    if clock.now() >= questions_close_at(project):
        raise DomainError(
            _("提问已截止（截止前 %(h)s 小时停止提问）。", h=settings.get("question_cutoff_hours")),
            field="body",
        )
    question = Question(project_id=project.id, asker_id=actor.id, body=body.strip(), asked_at=clock.now())
    db.session.add(question)
    db.session.flush()
    audit.record(actor, "project.question", question, project_id=project.id)
    return question


def answer_question(actor, question: Question, data: dict) -> None:
    project = db.session.get(Project, question.project_id)
    permissions.require(actor, "project.answer", project)
    answer = data["answer"]
    if not answer.strip():
        raise DomainError(_("请填写答复。"), field="answer")
    first = question.answer is None
    before = {"answer": question.answer}
    question.answer = answer.strip()
    question.answered_by_id = actor.id
    question.answered_at = clock.now()
    audit.record(
        actor,
        "project.answer",
        question,
        before=before,
        after={"answer": question.answer},
        project_id=project.id,
    )
    if first:
        notify.send(
            question.asker,
            "project.question_answered",
            link=path_for("projects.show", project_id=project.id, _anchor="qa"),
            project=project,
            question=question,
        )


# -- reminders -----------------------------------------------------------------------------------------


def send_deadline_reminders(now: datetime | None = None) -> int:
    """24 h before the deadline, tell the managers of eligible organizations that have not bid.
    A conditional UPDATE marks the project first, so two workers never send the reminder twice."""
    now = now or clock.now()
    sent = 0
    today = clock.today_local()
    open_ = Project.state == ProjectState.OPEN
    day = timedelta(hours=24)
    for project in claim_due(Project, "deadline_reminder_sent_at", Project.bid_deadline, day, now, open_):
        bidders = select(Bid.org_id).where(Bid.project_id == project.id, Bid.status == BidStatus.SUBMITTED)
        managers = db.session.scalars(
            select(Membership)
            .join(Organization, Organization.id == Membership.org_id)
            .where(
                Organization.kind.in_(project.eligible_kinds),
                Organization.is_active.is_(True),
                Organization.id.not_in(bidders),
                and_(Membership.role == MemberRole.MANAGER, Membership.active_on(today)),
            )
        ).all()
        for membership in managers:
            notify.send(
                membership.user,
                "project.deadline_soon",
                link=project.url,
                project=project,
                org=membership.org,
            )
            sent += 1
        db.session.commit()
    return sent
