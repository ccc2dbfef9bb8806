"""What the home page asks of review (待办): an evaluator's panels waiting for a declaration or scores;
the staff's panels not yet submitted and notices with objections pending; the league reviewer's
objections to rule; an award an organization won; a student's objection that was ruled.

Nothing here counts or names a bid: a panel row counts seats, a notice row objections. An evaluator's
row never names a project they are recused from (the recusal recorded at the deadline, or a
membership of the host).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, and_, cast, exists, func, literal, or_, select

from .. import actions
from ..bids.models import Bid, Recusal
from ..orgs.models import Membership
from ..projects import lifecycle
from ..projects.models import CriterionPurpose, Project, ProjectState
from .models import AwardNotice, NoticeStatus, Objection, ObjectionStatus, PanelSeat, ReviewRound


def _panel_link(ref: str, endpoint: str | None = None) -> str:
    project_id, purpose = ref.split(":")
    if endpoint is not None:
        return url_for(endpoint, project_id=int(project_id), purpose=purpose)
    if purpose == CriterionPurpose.OUTCOME.value:
        return url_for("review.outcome_score", project_id=int(project_id))
    return url_for("review.start", project_id=int(project_id))


def _panel_ref():
    return (cast(Project.id, String) + ":" + cast(ReviewRound.purpose, String)).label("ref")


def _live_panel():
    """The round is current and its project in the state it judges: 评标 while reviewing, 成效评估
    while evaluating."""
    return and_(
        ReviewRound.superseded_at.is_(None),
        or_(
            and_(
                ReviewRound.purpose == CriterionPurpose.BID,
                lifecycle.effective_state_in(ProjectState.REVIEWING),
            ),
            and_(
                ReviewRound.purpose == CriterionPurpose.OUTCOME,
                lifecycle.effective_state_in(ProjectState.EVALUATING),
            ),
        ),
    )


def _own_seats(viewer, declared: bool) -> Select:
    recused = or_(
        exists().where(Recusal.project_id == Project.id, Recusal.user_id == viewer.id),
        exists().where(Membership.org_id == Project.host_org_id, Membership.user_id == viewer.id),
    )
    return (
        select(
            _panel_ref(),
            Project.title.label("title"),
            Project.evaluation_ends_at.label("at"),
            literal(1).label("n"),
        )
        .select_from(PanelSeat)
        .join(ReviewRound, ReviewRound.id == PanelSeat.round_id)
        .join(Project, Project.id == ReviewRound.project_id)
        .where(
            PanelSeat.user_id == viewer.id,
            PanelSeat.submitted_at.is_(None),
            PanelSeat.declared_at.is_not(None) if declared else PanelSeat.declared_at.is_(None),
            _live_panel(),
            ~recused,
        )
    )


@actions.kind(
    "seat.declare",
    _l("声明利益冲突后开始评审：%(title)s"),
    lambda ref: _panel_link(ref, "review.declare"),
    when=_l("评分截止 %(at)s"),
)
def seats_to_declare(viewer) -> Select:
    return _own_seats(viewer, declared=False)


@actions.kind(
    "seat.score",
    _l("继续评分：%(title)s"),
    _panel_link,
    when=_l("评分截止 %(at)s"),
)
def seats_to_score(viewer) -> Select:
    return _own_seats(viewer, declared=True)


@actions.kind(
    "panel.unsubmitted",
    _l("评审组尚未交齐：%(title)s（%(n)s 人未提交）"),
    lambda ref: _panel_link(ref, "review.overview"),
    when=_l("评价期至 %(at)s"),
    applies=actions.works_for_union,
)
def panels_not_submitted(viewer) -> Select:
    return (
        select(
            _panel_ref(),
            Project.title.label("title"),
            func.min(Project.evaluation_ends_at).label("at"),
            func.count(PanelSeat.id).label("n"),
        )
        .select_from(PanelSeat)
        .join(ReviewRound, ReviewRound.id == PanelSeat.round_id)
        .join(Project, Project.id == ReviewRound.project_id)
        .where(Project.union_id.in_(viewer.staff_union_ids), PanelSeat.submitted_at.is_(None), _live_panel())
        .group_by(Project.id, Project.title, ReviewRound.purpose)
    )


def _objections_pending():
    return (
        select()
        .select_from(Objection)
        .join(AwardNotice, AwardNotice.id == Objection.notice_id)
        .join(Project, Project.id == AwardNotice.project_id)
        .where(Objection.status == ObjectionStatus.PENDING)
    )


@actions.kind(
    "notice.objected",
    _l("公示收到异议：%(title)s（%(n)s 件待裁定）"),
    lambda ref: url_for("review.notice", project_id=int(ref)),
    when=_l("最早一件提出于 %(at)s"),
    applies=actions.works_for_union,
)
def notices_with_objections(viewer) -> Select:
    return (
        _objections_pending()
        .where(Project.union_id.in_(viewer.staff_union_ids))
        .group_by(Project.id, Project.title)
        .add_columns(
            cast(Project.id, String).label("ref"),
            Project.title.label("title"),
            func.min(Objection.created_at).label("at"),
            func.count(Objection.id).label("n"),
        )
    )


@actions.kind(
    "objection.pending",
    _l("%(n)s 件异议待裁定"),
    lambda ref: url_for("review.objections"),
    when=_l("最早一件提出于 %(at)s"),
)
def objections_to_rule(viewer) -> Select:
    return (
        _objections_pending()
        .add_columns(
            literal("objections").label("ref"),
            literal("").label("title"),
            func.min(Objection.created_at).label("at"),
            func.count(Objection.id).label("n"),
        )
        .having(func.count(Objection.id) > 0)
    )


@actions.kind(
    "objection.ruled",
    _l("你的异议已有裁定：%(title)s"),
    lambda ref: url_for("review.notice", project_id=int(ref)),
)
def objections_ruled(viewer) -> Select:
    return (
        select(
            cast(Project.id, String).label("ref"),
            Project.title.label("title"),
            Objection.ruled_at.label("at"),
            literal(1).label("n"),
        )
        .select_from(Objection)
        .join(AwardNotice, AwardNotice.id == Objection.notice_id)
        .join(Project, Project.id == AwardNotice.project_id)
        .where(
            Objection.student_id == viewer.id,
            Objection.status != ObjectionStatus.PENDING,
            Objection.ruled_at > actions.ago(days=14),
        )
    )


@actions.kind(
    "award.won",
    _l("中标公示中：%(title)s（可在公示期内放弃）"),
    lambda ref: url_for("review.notice", project_id=int(ref)),
    when=_l("公示期至 %(at)s"),
    applies=actions.manages,
)
def awards_won(viewer) -> Select:
    return (
        select(
            cast(Project.id, String).label("ref"),
            Project.title.label("title"),
            AwardNotice.window_ends_at.label("at"),
            literal(1).label("n"),
        )
        .select_from(AwardNotice)
        .join(Bid, Bid.id == AwardNotice.bid_id)
        .join(Project, Project.id == AwardNotice.project_id)
        .where(
            Bid.org_id.in_(viewer.managed_org_ids),
            AwardNotice.status == NoticeStatus.ACTIVE,
            AwardNotice.window_ends_at > actions.NOW,
        )
    )
