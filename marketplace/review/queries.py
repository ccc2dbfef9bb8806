"""What the review pages read: a panelist's panels and scores, the objection queue, and a notice's
objections. Each function is one query whatever the number of rows, so the pages do not grow N+1."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload

from ..accounts.models import User
from ..bids.models import Bid
from ..extensions import db
from ..projects.lifecycle import effective_state_column
from ..projects.models import CriterionPurpose, Project
from .models import AwardNotice, NoticeStatus, Objection, ObjectionStatus, PanelSeat, ReviewRound, Score


def panels_of(user) -> Select:
    """Rows of (PanelSeat with its round, Project, effective state): the user's seats on bid review
    and outcome panels (the round's ``purpose`` tells which), newest first."""
    return (
        select(PanelSeat, Project, effective_state_column())
        .join(PanelSeat.round)
        .join(Project, Project.id == ReviewRound.project_id)
        .options(contains_eager(PanelSeat.round), joinedload(Project.union))
        .where(PanelSeat.user_id == user.id)
        .order_by(ReviewRound.opened_at.desc(), PanelSeat.id.desc())
    )


def panel_round(project: Project, purpose: CriterionPurpose) -> ReviewRound | None:
    """The panel's current round with its seats, in one statement (a panelist's pages ask it)."""
    newest = (
        select(ReviewRound.id)
        .where(ReviewRound.project_id == project.id, ReviewRound.purpose == purpose)
        .order_by(ReviewRound.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        db.session.scalars(
            select(ReviewRound).where(ReviewRound.id == newest).options(joinedload(ReviewRound.seats))
        )
        .unique()
        .one_or_none()
    )


def scores_of_seat(seat: PanelSeat) -> dict[int | None, dict[int, Score]]:
    """{bid id (None: the outcome): {criterion id: Score}} for one panelist's seat."""
    found: dict[int, dict[int, Score]] = {}
    for score in db.session.scalars(select(Score).where(Score.seat_id == seat.id)):
        found.setdefault(score.bid_id, {})[score.criterion_id] = score
    return found


def others_scores(round_: ReviewRound, bid: Bid | None, seat: PanelSeat) -> dict[int, dict[int, Score]]:
    """{seat id: {criterion id: Score}}: the other panelists' submitted scores of one bid (None: of the
    outcome). Only for a panelist who may see them (review.operations.can_see_others_scores)."""
    found: dict[int, dict[int, Score]] = {}
    for score in db.session.scalars(
        select(Score)
        .join(PanelSeat, PanelSeat.id == Score.seat_id)
        .where(
            PanelSeat.round_id == round_.id,
            PanelSeat.id != seat.id,
            PanelSeat.submitted_at.is_not(None),
            Score.of_bid(bid.id if bid is not None else None),
        )
    ):
        found.setdefault(score.seat_id, {})[score.criterion_id] = score
    return found


def panelist_names(round_: ReviewRound) -> dict[int, str]:
    """{seat id: the panelist's name} for every seat of the round."""
    return dict(
        db.session.execute(
            select(PanelSeat.id, User.name)
            .join(User, User.id == PanelSeat.user_id)
            .where(PanelSeat.round_id == round_.id)
        ).all()
    )


def team_names(bid: Bid) -> list[str]:
    if not bid.team:
        return []
    return db.session.scalars(select(User.name).where(User.id.in_(list(bid.team))).order_by(User.name)).all()


def objections(*, pending: bool) -> Select:
    """Rows of (Objection with its notice and student, Project): pending ones oldest first (a queue),
    ruled ones newest first (the record)."""
    stmt = (
        select(Objection, Project)
        .join(Objection.notice)
        .join(Project, Project.id == AwardNotice.project_id)
        .options(
            contains_eager(Objection.notice).joinedload(AwardNotice.bid),
            joinedload(Objection.student),
            joinedload(Objection.ruled_by),
        )
    )
    if pending:
        return stmt.where(Objection.status == ObjectionStatus.PENDING).order_by(
            Objection.created_at, Objection.id
        )
    return stmt.where(Objection.status != ObjectionStatus.PENDING).order_by(
        Objection.ruled_at.desc(), Objection.id.desc()
    )


def objection_of(notice: AwardNotice, user) -> Objection | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Objection).where(Objection.notice_id == notice.id, Objection.student_id == user.id)
    )


def ruled_objections(notice: AwardNotice) -> list[Objection]:
    """What the public notice page shows of its objections: the rulings, never who objected."""
    return db.session.scalars(
        select(Objection)
        .where(Objection.notice_id == notice.id, Objection.status != ObjectionStatus.PENDING)
        .order_by(Objection.ruled_at)
    ).all()


def pending_count(notice: AwardNotice) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Objection)
        .where(Objection.notice_id == notice.id, Objection.status == ObjectionStatus.PENDING)
    )


def next_window_end(now: datetime) -> datetime | None:
    """When a running award notice's window next ends (the winner may then become the host). For the
    public page cache."""
    return db.session.scalar(
        select(func.min(AwardNotice.window_ends_at)).where(
            AwardNotice.status == NoticeStatus.ACTIVE, AwardNotice.window_ends_at > now
        )
    )
