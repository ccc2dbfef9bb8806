"""What the home page and the staff dashboard ask of projects (待办): the staff's drafts, questions to
answer and projects whose review can start; the league reviewer's approvals and cancellation
requests; the projects open to an organization's bid. No row counts bids: before the deadline they
are sealed for everyone, and after it a row names what to do, not how many bid."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, cast, exists, func, literal, or_, select

from .. import actions
from ..bids.models import Bid, BidStatus
from ..models_base import second_alias
from ..orgs.models import Organization
from ..review.models import PanelSeat, ReviewRound
from . import lifecycle
from .models import CriterionPurpose, Project, ProjectState, Question
from .queries import KIND_COLUMNS


def _project_row(at):
    return (
        cast(Project.id, String).label("ref"),
        Project.title.label("title"),
        at.label("at"),
        literal(1).label("n"),
    )


@actions.kind(
    "project.draft",
    _l("草稿待完成发布：%(title)s"),
    lambda ref: url_for("projects.edit", project_id=int(ref)),
    when=_l("创建于 %(at)s"),
    applies=actions.works_for_union,
)
def drafts(viewer) -> Select:
    return select(*_project_row(Project.created_at)).where(
        Project.union_id.in_(viewer.staff_union_ids), Project.state == ProjectState.DRAFT
    )


@actions.kind(
    "question.unanswered",
    _l("%(title)s：%(n)s 个提问待答复"),
    lambda ref: url_for("projects.show", project_id=int(ref), _anchor="qa"),
    when=_l("竞标 %(at)s 截止"),
    applies=actions.works_for_union,
)
def questions_to_answer(viewer) -> Select:
    return (
        select(
            cast(Project.id, String).label("ref"),
            Project.title.label("title"),
            Project.bid_deadline.label("at"),
            func.count(Question.id).label("n"),
        )
        .join(Question, Question.project_id == Project.id)
        .where(
            Project.union_id.in_(viewer.staff_union_ids),
            Question.answer.is_(None),
            lifecycle.effective_state_in(ProjectState.OPEN),
        )
        .group_by(Project.id, Project.title, Project.bid_deadline)
    )


@actions.kind(
    "project.review_ready",
    _l("竞标已截止，可以组织评标：%(title)s"),
    lambda ref: url_for("review.overview", project_id=int(ref), purpose=CriterionPurpose.BID.value),
    when=_l("%(at)s 截止"),
    applies=actions.works_for_union,
)
def reviews_to_start(viewer) -> Select:
    """Projects in review whose panel has nobody on it yet."""
    seated = (
        select(PanelSeat.id)
        .join(ReviewRound, ReviewRound.id == PanelSeat.round_id)
        .where(
            ReviewRound.project_id == Project.id,
            ReviewRound.purpose == CriterionPurpose.BID,
            ReviewRound.superseded_at.is_(None),
        )
        .correlate(Project)
    )
    return select(*_project_row(Project.bid_deadline)).where(
        Project.union_id.in_(viewer.staff_union_ids),
        lifecycle.effective_state_in(ProjectState.REVIEWING),
        ~exists(seated),
    )


# A failed project is offered for reposting while it is recent; an old failure is history.
REPOST_DAYS = 60


@actions.kind(
    "project.failed",
    _l("流标，可以重新发榜：%(title)s"),
    lambda ref: url_for("projects.show", project_id=int(ref)),
    when=_l("%(at)s 截止"),
    applies=actions.works_for_union,
)
def failed_to_repost(viewer) -> Select:
    reposted = second_alias(Project)
    again = exists().where(reposted.reposted_from_id == Project.id)
    return select(*_project_row(Project.bid_deadline)).where(
        Project.union_id.in_(viewer.staff_union_ids),
        lifecycle.effective_state_in(ProjectState.FAILED),
        Project.bid_deadline > actions.ago(days=REPOST_DAYS),
        ~again,
    )


@actions.kind(
    "project.to_approve",
    _l("重大项目待审核：%(title)s"),
    lambda ref: url_for("projects.approvals"),
    when=_l("提交于 %(at)s"),
)
def projects_to_approve(viewer) -> Select:
    return select(*_project_row(Project.created_at)).where(Project.state == ProjectState.PENDING_APPROVAL)


@actions.kind(
    "project.cancel_requested",
    _l("取消申请待批准：%(title)s"),
    lambda ref: url_for("projects.approvals", _anchor="cancels"),
    when=_l("申请于 %(at)s"),
)
def cancellations_to_approve(viewer) -> Select:
    return select(*_project_row(Project.cancel_requested_at)).where(
        Project.state.in_([ProjectState.HOSTING, ProjectState.EVALUATING]),
        Project.cancel_requested_at.is_not(None),
    )


@actions.kind(
    "project.open_to_bid",
    _l("可以竞标：%(title)s"),
    lambda ref: url_for("projects.show", project_id=int(ref)),
    when=_l("%(at)s 截止"),
    applies=actions.manages,
)
def open_to_bid(viewer) -> Select:
    """Open projects that admit a kind of organization the user manages, on which none of those
    organizations has bid yet, the nearest deadline first."""
    managed = viewer.managed_org_ids
    kinds = select(Organization.kind).where(Organization.id.in_(managed)).scalar_subquery()
    admitted = or_(*(column.is_(True) & literal(kind).in_(kinds) for kind, column in KIND_COLUMNS.items()))
    # NOT IN rather than NOT EXISTS: the organizations' bids are read once into a hash. As an anti
    # join, the generic plan compared every open project with every one of those bids.
    bid_on = select(Bid.project_id).where(Bid.org_id.in_(managed), Bid.status == BidStatus.SUBMITTED)
    return select(*_project_row(Project.bid_deadline)).where(
        lifecycle.effective_state_in(ProjectState.OPEN), admitted, Project.id.not_in(bid_on)
    )


STAFF_KINDS = [drafts, questions_to_answer, reviews_to_start, failed_to_repost]
LEAGUE_KINDS = [projects_to_approve, cancellations_to_approve]
