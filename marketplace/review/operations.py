"""评标 and 公示: forming panels, independent scoring, the award, objections, declining and passing on.
The panel's operations serve the outcome panel (成效评估) too, given its ``Panel`` (``review.outcome``).

State changes go through projects.lifecycle.apply; a notice's and an objection's status through their
tables (``NOTICE_TRANSITIONS``, ``OBJECTION_TRANSITIONS``) and ``move_notice``/``move_objection``. The
rest of the rules live here. Nothing commits.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import timedelta

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CompoundSelect, Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from .. import audit, clock, permissions, settings
from ..accounts.models import SiteRole, User, UserRole
from ..bids.models import Bid
from ..bids.operations import notify_bidders
from ..bids.validity import valid_bids
from ..errors import Conflict, DomainError
from ..extensions import db
from ..notify import operations as notify
from ..orgs.queries import managers_of, union_staff
from ..projects import lifecycle
from ..projects.models import Criterion, CriterionPurpose, Project, ProjectState
from ..projects.recusal import is_recused, recused_user_ids
from ..statuses import StatusTable, ruled
from ..urls import path_for
from . import scoring
from .models import AwardNotice, NoticeStatus, Objection, ObjectionStatus, PanelSeat, ReviewRound, Score
from .window import active_notice

MIN_PANEL = 3


# -- the two uses of one panel ---------------------------------------------------------------------------


class Panel(ABC):
    """What one use of the panel mechanism (评议) decides for itself: what is judged, on which criteria,
    while the project is in which state, who manages the panel and who is recused. Seats, the
    declaration, independent scores, locking and reminders are the same code for every use. Bid
    review (评标) is ``BID_PANEL`` below; the outcome panel (成效评估) is ``review.outcome.OUTCOME_PANEL``."""

    purpose: CriterionPurpose
    state: ProjectState  # the panel sits while the project is in this state
    manage: str  # the action that lets staff seat and remove panelists and remind them
    panelist: str  # the action of a seated panelist

    @abstractmethod
    def criteria(self, project: Project) -> list[Criterion]: ...

    @abstractmethod
    def items(self, project: Project) -> list[Bid | None]:
        """What every panelist scores on every criterion (None: the project itself)."""

    @abstractmethod
    def is_recused(self, user, project: Project) -> bool: ...

    @abstractmethod
    def recused_user_ids(self, project: Project) -> Select | CompoundSelect: ...

    @abstractmethod
    def recused_refusal(self, user=None) -> str:
        """Why ``user`` (None: the panelist reading it) may not sit on the panel."""

    @abstractmethod
    def declare_first(self) -> str: ...

    @abstractmethod
    def prepare(self, project: Project) -> None:
        """Called when the panel's first round opens."""

    def link(self, project: Project) -> str:
        """Where a panelist's invitation and reminders lead (the panelist lands on their own page)."""
        return path_for("review.overview", project_id=project.id, purpose=self.purpose.value)


class BidPanel(Panel):
    """评标: the valid bids, on the project's bid criteria, while it is 评标中."""

    purpose = CriterionPurpose.BID
    state = ProjectState.REVIEWING
    manage = "project.award"
    panelist = "review.panel"

    def criteria(self, project: Project) -> list[Criterion]:
        return project.bid_criteria

    def items(self, project: Project) -> list[Bid | None]:
        return valid_bids(project)

    def is_recused(self, user, project: Project) -> bool:
        return is_recused(user, project)

    def recused_user_ids(self, project: Project) -> Select:
        return recused_user_ids(project)

    def recused_refusal(self, user=None) -> str:
        if user is None:
            return _("你所在组织参与了竞标，须回避本项目。")
        return _("%(name)s 所在组织参与了竞标，须回避本项目。", name=user.name)

    def declare_first(self) -> str:
        return _("请先声明与各竞标方无利益冲突。")

    def prepare(self, project: Project) -> None:
        """Nothing: the bid criteria were posted with the project."""


BID_PANEL = BidPanel()


# -- rounds and panels ---------------------------------------------------------------------------------


def current_round(project: Project, purpose: CriterionPurpose = CriterionPurpose.BID) -> ReviewRound | None:
    return db.session.scalar(
        select(ReviewRound)
        .where(ReviewRound.project_id == project.id, ReviewRound.purpose == purpose)
        .order_by(ReviewRound.number.desc())
        .limit(1)
    )


def rounds_of(project: Project, purpose: CriterionPurpose = CriterionPurpose.BID) -> list[ReviewRound]:
    return db.session.scalars(
        select(ReviewRound)
        .where(ReviewRound.project_id == project.id, ReviewRound.purpose == purpose)
        .options(selectinload(ReviewRound.seats).joinedload(PanelSeat.user))
        .order_by(ReviewRound.number)
    ).all()


def open_round(project: Project, purpose: CriterionPurpose = CriterionPurpose.BID) -> ReviewRound:
    """A new round; the previous one (if any) stays on record, superseded."""
    previous = current_round(project, purpose)
    if previous is not None and previous.superseded_at is None:
        previous.superseded_at = clock.now()
    round_ = ReviewRound(
        project_id=project.id,
        purpose=purpose,
        number=(previous.number + 1) if previous else 1,
        opened_at=clock.now(),
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def sitting_round(project: Project, panel: Panel = BID_PANEL) -> ReviewRound:
    """The panel's current round, with the project locked and in the state the panel sits in.
    A project that reached that state before the panel existed gets its first round now."""
    lifecycle.lock(project)
    lifecycle.catch_up(project)
    if project.state != panel.state:
        raise lifecycle.IllegalTransition(project.state, "review")
    round_ = current_round(project, panel.purpose)
    if round_ is None:
        round_ = open_round(project, panel.purpose)
        panel.prepare(project)
    return round_


def is_seated(user, project: Project, purpose: CriterionPurpose = CriterionPurpose.BID) -> bool:
    """On a panel of the project for ``purpose``, in any round."""
    return (
        db.session.scalar(
            select(PanelSeat.id)
            .join(ReviewRound, ReviewRound.id == PanelSeat.round_id)
            .where(
                ReviewRound.project_id == project.id,
                ReviewRound.purpose == purpose,
                PanelSeat.user_id == user.id,
            )
            .limit(1)
        )
        is not None
    )


def seat_of(round_: ReviewRound, user) -> PanelSeat | None:
    return next((s for s in round_.seats if s.user_id == getattr(user, "id", None)), None)


def eligible_panelists(project: Project, panel: Panel = BID_PANEL) -> list[User]:
    """Evaluators who are not recused from the project (candidates for its panel): one statement,
    whatever the number of evaluators or of the bidding organizations' members."""
    # From the evaluators (a few dozen) to their accounts: the recusal is checked for each evaluator,
    # where asked of every account it would read them all.
    free = select(UserRole.user_id).where(
        UserRole.role == SiteRole.EVALUATOR, UserRole.user_id.not_in(panel.recused_user_ids(project))
    )
    evaluators = db.session.scalars(
        select(User)
        .where(User.id.in_(free))
        .options(joinedload(User.college))  # the choices name each evaluator's college
        .order_by(User.name)
    ).all()
    return [u for u in evaluators if u.is_active and not u.is_read_only]


def assign_panelist(actor, project: Project, data: dict, panel: Panel = BID_PANEL) -> PanelSeat:
    """Seat the evaluator whose id is ``data["user"]`` on the current round — until every panelist
    has submitted: nobody joins a panel whose scores are out."""
    round_ = sitting_round(project, panel)
    permissions.require(actor, panel.manage, project)
    if panel_complete(round_):
        raise DomainError(_("评审组全部成员已提交评分，不能再添加评议人。"))
    user = db.session.get(User, data["user"]) if data.get("user") else None
    if user is None:
        raise DomainError(_("请选择评议人。"), field="user")
    if not user.has_role(SiteRole.EVALUATOR) or not user.is_active:
        raise DomainError(_("只能选择评议会成员（评议人）。"), field="user")
    if panel.is_recused(user, project):
        raise DomainError(panel.recused_refusal(user), field="user")
    if seat_of(round_, user) is not None:
        raise DomainError(_("%(name)s 已在评审组中。", name=user.name), field="user")
    seat = PanelSeat(round_id=round_.id, user_id=user.id, assigned_by_id=actor.id, assigned_at=clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(seat)
            db.session.flush()
    except IntegrityError:
        raise DomainError(_("%(name)s 已在评审组中。", name=user.name), field="user") from None
    db.session.refresh(round_)
    audit.record(
        actor,
        "review.assign",
        seat,
        after={"user": user.id, "round": round_.number, "purpose": panel.purpose.value},
        project_id=project.id,
    )
    notify.send(
        user,
        "review.panel_assigned",
        link=panel.link(project),
        project=project,
        purpose=panel.purpose.value,
    )
    return seat


def remove_panelist(actor, project: Project, seat: PanelSeat, panel: Panel = BID_PANEL) -> None:
    sitting_round(project, panel)
    permissions.require(actor, panel.manage, project)
    if seat.submitted_at is not None:
        raise DomainError(_("已提交评分的评议人不能移出评审组。"))
    audit.record(actor, "review.unassign", seat, before={"user": seat.user_id}, project_id=project.id)
    db.session.delete(seat)


def declare_no_conflict(user, project: Project, panel: Panel = BID_PANEL) -> PanelSeat:
    """利益冲突声明: before seeing anything of what is judged, the panelist declares having no conflict
    of interest."""
    round_ = sitting_round(project, panel)
    permissions.require(user, panel.panelist, project)
    seat = seat_of(round_, user)
    if seat is None:
        abort(403)
    if panel.is_recused(user, project):
        raise DomainError(panel.recused_refusal())
    if seat.declared_at is None:
        seat.declared_at = clock.now()
        audit.record(user, "review.declare", seat, project_id=project.id)
    return seat


def declare_conflict(user, project: Project, data: dict, panel: Panel = BID_PANEL) -> None:
    """The panelist has a conflict (``data["reason"]``): they leave the panel, and the staff are told
    to name another."""
    round_ = sitting_round(project, panel)
    permissions.require(user, panel.panelist, project)
    reason = data.get("reason")
    seat = seat_of(round_, user)
    if seat is None:
        abort(403)
    if seat.submitted_at is not None:
        raise DomainError(_("你已提交评分，如有利益冲突请联系学生会。"))
    audit.record(user, "review.conflict", seat, reason=reason or None, project_id=project.id)
    db.session.delete(seat)


def _declared_seat(user, project: Project, panel: Panel) -> tuple[ReviewRound, PanelSeat]:
    round_ = sitting_round(project, panel)
    permissions.require(user, panel.panelist, project)
    seat = seat_of(round_, user)
    if seat is None:
        abort(403)
    if seat.declared_at is None:
        raise DomainError(panel.declare_first())
    # Memberships change: one begun since the declaration (joining the host, say) still recuses.
    if panel.is_recused(user, project):
        raise DomainError(panel.recused_refusal())
    return round_, seat


def save_scores(
    user, project: Project, bid: Bid | None, values: dict[int, tuple[int, str]], panel: Panel = BID_PANEL
) -> None:
    """Save (until submitted) one panelist's scores of one bid (None: of the outcome):
    {criterion id: (0–100, comment)}."""
    _round, seat = _declared_seat(user, project, panel)
    if seat.submitted_at is not None:
        raise DomainError(_("评分已提交，不能再修改。"))
    bid_id = bid.id if bid is not None else None
    if bid_id not in {item.id if item is not None else None for item in panel.items(project)}:
        raise DomainError(_("这份标书不在评审范围内。"))
    criteria = {c.id: c for c in panel.criteria(project)}
    existing = {
        s.criterion_id: s
        for s in db.session.scalars(select(Score).where(Score.seat_id == seat.id, Score.of_bid(bid_id)))
    }
    for criterion_id, (value, comment) in values.items():
        if criterion_id not in criteria:
            raise DomainError(_("评审标准有误，请刷新页面。"))
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise DomainError(_("分数应为 0 到 100 之间的整数。"), field=f"c{criterion_id}")
        score = existing.get(criterion_id) or Score(seat_id=seat.id, bid_id=bid_id, criterion_id=criterion_id)
        score.value, score.comment = value, (comment or "").strip()
        db.session.add(score)


def missing_scores(seat: PanelSeat, project: Project, panel: Panel = BID_PANEL) -> int:
    scored = db.session.scalar(select(func.count()).select_from(Score).where(Score.seat_id == seat.id))
    return len(panel.items(project)) * len(panel.criteria(project)) - scored


def submit_scores(user, project: Project, panel: Panel = BID_PANEL) -> None:
    """提交评分: everything scored on every criterion; locked from now on."""
    _round, seat = _declared_seat(user, project, panel)
    if seat.submitted_at is not None:
        return
    missing = missing_scores(seat, project, panel)
    if missing > 0:
        raise DomainError(_("还有 %(n)s 项未评分，请全部评完再提交。", n=missing))
    seat.submitted_at = clock.now()
    audit.record(user, "review.submit", seat, project_id=project.id)


def progress(round_: ReviewRound) -> tuple[int, int]:
    """(submitted, seated), e.g. "2 of 4 panelists done"."""
    return len(scoring.submitted_seats(round_)), len(round_.seats)


def panel_complete(round_: ReviewRound) -> bool:
    done, seated = progress(round_)
    return seated >= MIN_PANEL and done == seated


def remind_seat(seat: PanelSeat, project: Project, panel: Panel) -> None:
    """Tell a panelist who has not submitted that the panel waits for them (评分提醒)."""
    seat.reminded_at = clock.now()
    notify.send(
        seat.user,
        "review.reminder",
        link=panel.link(project),
        project=project,
        purpose=panel.purpose.value,
    )


def remind(actor, project: Project, panel: Panel = BID_PANEL) -> int:
    round_ = sitting_round(project, panel)
    permissions.require(actor, panel.manage, project)
    waiting = [s for s in round_.seats if s.submitted_at is None]
    for seat in waiting:
        remind_seat(seat, project, panel)
    return len(waiting)


def can_see_others_scores(user, round_: ReviewRound) -> bool:
    """Independence: a panelist sees others' scores only after submitting their own; staff and the
    league reviewer see them once every panelist has submitted."""
    seat = seat_of(round_, user)
    if seat is not None:
        return seat.submitted_at is not None
    return panel_complete(round_)


# -- award and notice ---------------------------------------------------------------------------------

# action -> (statuses it may start from, status it leads to)
NOTICE_TRANSITIONS = {
    "finalize": (frozenset({NoticeStatus.ACTIVE}), NoticeStatus.FINAL),  # the winner hosts
    "supersede": (frozenset({NoticeStatus.ACTIVE}), NoticeStatus.SUPERSEDED),  # an objection upheld
    "withdraw": (frozenset({NoticeStatus.ACTIVE}), NoticeStatus.SUPERSEDED),  # the project cancelled
    "decline": (frozenset({NoticeStatus.ACTIVE}), NoticeStatus.DECLINED),  # the winner declined
}
NOTICES = StatusTable(
    "notice",
    _l("这份公示"),
    NOTICE_TRANSITIONS,
    facts=lambda action, actor, reason: {"closed_reason": reason},
)

OBJECTION_TRANSITIONS = {
    "uphold": (frozenset({ObjectionStatus.PENDING}), ObjectionStatus.UPHELD),
    "dismiss": (frozenset({ObjectionStatus.PENDING}), ObjectionStatus.DISMISSED),
}
OBJECTIONS = StatusTable("objection", _l("这条异议"), OBJECTION_TRANSITIONS, facts=ruled)


def move_notice(notice: AwardNotice, action: str, actor, *, reason: str | None = None) -> None:
    """The only way an award notice's status changes (actor None: the clock ended the window)."""
    NOTICES.move(notice, action, actor, reason=reason, project_id=notice.project_id)


def move_objection(objection: Objection, action: str, actor, *, reason: str | None = None) -> None:
    """The only way an objection's status changes; ``reason`` is the ruling."""
    OBJECTIONS.move(objection, action, actor, reason=reason, project_id=objection.notice.project_id)


def notices_of(project: Project) -> list[AwardNotice]:
    return db.session.scalars(
        select(AwardNotice)
        .where(AwardNotice.project_id == project.id)
        .options(joinedload(AwardNotice.bid).joinedload(Bid.org))
        .order_by(AwardNotice.number)
    ).all()


def _publish_notice(project: Project, round_: ReviewRound, ranked, bid: Bid, justification: str | None):
    number = (
        db.session.scalar(select(func.max(AwardNotice.number)).where(AwardNotice.project_id == project.id))
        or 0
    ) + 1
    now = clock.now()
    notice = AwardNotice(
        project_id=project.id,
        round_id=round_.id,
        number=number,
        bid_id=bid.id,
        justification=justification,
        ranking=[r.snapshot() for r in ranked],
        published_at=now,
        window_ends_at=now + timedelta(days=settings.get("notice_window_days")),
    )
    db.session.add(notice)
    db.session.flush()
    for entry in ranked:
        _notify_result(project, notice, entry)
    return notice


def _notify_result(project: Project, notice: AwardNotice, entry) -> None:
    won = entry.bid.id == notice.bid_id
    for membership in managers_of([entry.bid.org_id]):
        notify.send(
            membership.user,
            "review.award_result",
            link=path_for("review.notice", project_id=project.id),
            project=project,
            org=membership.org,
            won=won,
            rank=entry.rank,
            score=entry.score_text,
            total=len(notice.ranking),
        )


def award(actor, project: Project, data: dict) -> AwardNotice:
    """定标: award the top bid (``data["bid"]``, its public id), or another with a written
    ``justification``, and publish the notice."""
    round_ = sitting_round(project)
    permissions.require(actor, "project.award", project)
    bid = db.session.scalar(select(Bid).where(Bid.project_id == project.id, Bid.public_id == data.get("bid")))
    if bid is None:
        raise DomainError(_("请选择中标的标书。"), field="bid")
    justification = data.get("justification")
    if not panel_complete(round_):
        done, seated = progress(round_)
        raise DomainError(
            _(
                "评审尚未完成：需要至少 %(min)s 位评议人并全部提交评分（目前 %(done)s/%(seated)s）。",
                min=MIN_PANEL,
                done=done,
                seated=seated,
            )
        )
    ranked = scoring.rank(round_, project)
    if bid.id not in {r.bid.id for r in ranked}:
        raise DomainError(_("只能从有效标书中定标。"), field="bid")
    justification = (justification or "").strip() or None
    if ranked[0].bid.id != bid.id and not justification:
        raise DomainError(_("未选择排名第一的标书，请写明理由。"), field="justification")
    lifecycle.apply(project, "award", actor, reason=justification)
    notice = _publish_notice(project, round_, ranked, bid, justification)
    audit.record(
        actor,
        "review.award",
        notice,
        after={"bid": bid.public_id, "rank": next(r.rank for r in ranked if r.bid.id == bid.id)},
        reason=justification,
        project_id=project.id,
    )
    return notice


def object_to(student, project: Project, data: dict) -> Objection:
    """异议: any student, once per notice, during the window, for ``data["reason"]``."""
    permissions.require(student, "review.object", project)
    reason = data["reason"]
    notice = active_notice(project)
    if (
        lifecycle.effective_state(project) != ProjectState.AWARD_NOTICE
        or notice is None
        or clock.now() >= notice.window_ends_at
    ):
        raise DomainError(_("当前不在公示期，不能提出异议。"), field="reason")
    if not reason.strip():
        raise DomainError(_("请写明异议理由。"), field="reason")
    objection = Objection(
        notice_id=notice.id, student_id=student.id, reason=reason.strip(), created_at=clock.now()
    )
    try:
        with db.session.begin_nested():
            db.session.add(objection)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("你已对本次公示提出过异议，请等待团委答复。")) from None
    audit.record(student, "review.object", objection, project_id=project.id)
    for reviewer in db.session.scalars(
        select(User).where(User.site_roles.any(role=SiteRole.LEAGUE_REVIEWER))
    ):
        if not is_recused(reviewer, project):
            notify.send(
                reviewer, "review.objection_received", link=path_for("review.objections"), project=project
            )
    return objection


def rule_on(reviewer, objection: Objection, data: dict) -> None:
    """The league reviewer upholds (a new review round) or dismisses an objection (``data["uphold"]``),
    with reasons (``data["ruling"]``)."""
    uphold, ruling = data["uphold"], data["ruling"]
    notice = objection.notice
    project = db.session.get(Project, notice.project_id)
    lifecycle.lock(project)
    permissions.require(reviewer, "project.rule_objection", project)
    if objection.status != ObjectionStatus.PENDING:
        raise DomainError(_("这条异议已经处理过了。"))
    ruling = (ruling or "").strip()
    if not ruling:
        raise DomainError(_("请写明处理意见。"), field="ruling")
    if not uphold:
        _close(objection, project, reviewer, "dismiss", ruling)
        return
    lifecycle.apply(project, "uphold_objection", reviewer, reason=ruling)
    move_notice(notice, "supersede", reviewer, reason=ruling)
    # The notice is withdrawn: every objection still waiting on it has had its way too.
    for pending in db.session.scalars(
        select(Objection).where(Objection.notice_id == notice.id, Objection.status == ObjectionStatus.PENDING)
    ):
        _close(pending, project, reviewer, "uphold", ruling)
    open_round(project)
    notify_bidders(project, "review.reopened", reason=ruling)


def _close(objection: Objection, project: Project, reviewer, action: str, ruling: str) -> None:
    move_objection(objection, action, reviewer, reason=ruling)
    notify.send(
        objection.student,
        "review.objection_ruled",
        link=path_for("review.notice", project_id=project.id),
        project=project,
        objection=objection,
    )


def decline(actor, project: Project, data: dict) -> None:
    """The winner declines during the notice (``data["reason"]``); the staff then pass the award on
    (or the project fails)."""
    reason = data["reason"]
    lifecycle.lock(project)
    lifecycle.catch_up(project)
    notice = active_notice(project)
    if project.state != ProjectState.AWARD_NOTICE or notice is None:
        raise lifecycle.IllegalTransition(project.state, "decline")
    permissions.require(actor, "review.decline", notice)
    if not (reason or "").strip():
        raise DomainError(_("请写明放弃承办的原因。"), field="reason")
    move_notice(notice, "decline", actor, reason=reason.strip())
    for staff in union_staff(project.union_id):
        notify.send(
            staff,
            "review.declined",
            link=path_for("review.overview", project_id=project.id),
            project=project,
            reason=reason,
        )


def next_in_line(project: Project) -> Bid | None:
    """The best-ranked bid of the latest notice's ranking that has not declined."""
    notices = notices_of(project)
    if not notices:
        return None
    declined = {n.bid_id for n in notices if n.status == NoticeStatus.DECLINED}
    ranked_ids = [entry["public_id"] for entry in notices[-1].ranking]
    bids = {b.public_id: b for b in db.session.scalars(select(Bid).where(Bid.public_id.in_(ranked_ids)))}
    return next((bids[pid] for pid in ranked_ids if bids[pid].id not in declined), None)


def pass_award(actor, project: Project, data: dict) -> AwardNotice | None:
    """After a decline: a new notice for the next-ranked bid, or 流标 when none is left
    (``data["reason"]`` says why)."""
    reason = data["reason"]
    lifecycle.lock(project)
    lifecycle.catch_up(project)
    if project.state != ProjectState.AWARD_NOTICE or active_notice(project) is not None:
        raise DomainError(_("只有中标方放弃后，才能顺延给下一名。"))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写理由。"), field="reason")
    bid = next_in_line(project)
    if bid is None:
        lifecycle.apply(project, "fail_after_decline", actor, reason=reason)
        return None
    lifecycle.apply(project, "pass_award", actor, reason=reason)
    round_ = current_round(project)
    return _publish_notice(project, round_, scoring.rank(round_, project), bid, reason)


# -- what the project's steps do to its notice (called by review.receivers) -------------------------------


def withdraw_notice(project: Project, actor, reason: str | None) -> None:
    """A project cancelled during its notice: the notice is no longer in force."""
    notice = active_notice(project)
    if notice is not None:
        move_notice(notice, "withdraw", actor, reason=reason)


def after_hosting_starts(project: Project, actor, reason) -> None:
    """The window ended without a pending objection: the notice is final, and the bidders hear who hosts."""
    notice = active_notice(project)
    move_notice(notice, "finalize", actor)
    notify_bidders(project, "review.hosting_begins", host=notice.bid.org)
