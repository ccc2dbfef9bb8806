"""Panels, criteria and independent scores (评议): one mechanism for bid review (评标) and outcome
evaluation (成效评估); and the award notice (公示) with its objections (异议)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import UTCDateTime, enum_type, utcnow
from ..projects.models import CriterionPurpose


class ReviewRound(db.Model):
    """评审轮次: a panel scoring a project's bids (or its outcome). An upheld objection opens the next
    round with fresh scores; earlier rounds stay on record, superseded."""

    __tablename__ = "review_round"
    __table_args__ = (UniqueConstraint("project_id", "purpose", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[CriterionPurpose] = mapped_column(
        enum_type(CriterionPurpose), default=CriterionPurpose.BID
    )
    number: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    seats = relationship("PanelSeat", back_populates="round", order_by="PanelSeat.id")


class PanelSeat(db.Model):
    """A panelist's place on a round: declared free of conflicts before seeing anything, then scores
    submitted once (locked afterwards)."""

    __tablename__ = "panel_seat"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        CheckConstraint("submitted_at IS NULL OR declared_at IS NOT NULL", name="declared_before_submitting"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round = relationship("ReviewRound", back_populates="seats")
    user = relationship("User", foreign_keys=[user_id])


class Score(db.Model):
    """One panelist's score of one bid (or of the outcome, bid_id NULL) on one criterion."""

    __tablename__ = "score"
    __table_args__ = (
        UniqueConstraint("seat_id", "bid_id", "criterion_id"),
        # The constraint above holds NULLs distinct, so an outcome score (no bid) needs its own.
        Index(
            "uq_score_outcome",
            "seat_id",
            "criterion_id",
            unique=True,
            postgresql_where=text("bid_id IS NULL"),
            sqlite_where=text("bid_id IS NULL"),
        ),
        CheckConstraint("value >= 0 AND value <= 100", name="value_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("panel_seat.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int | None] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    @classmethod
    def of_bid(cls, bid_id: int | None):
        """SQL condition: a score of this bid (None: of the outcome; ``= NULL`` would match nothing)."""
        return cls.bid_id.is_(None) if bid_id is None else cls.bid_id == bid_id


class NoticeStatus(LabelledEnum):
    __labels__ = {
        "active": _l("公示中"),
        "final": _l("公示结束"),
        "superseded": _l("已撤销"),
        "declined": _l("中标方放弃"),
    }
    __badges__ = {
        "active": "text-bg-info",
        "final": "text-bg-success",
        "superseded": "text-bg-secondary",
        "declined": "text-bg-warning",
    }

    ACTIVE = "active"  # the objection window is running (or has run with an objection pending)
    FINAL = "final"  # the window ended with nothing pending: the winner hosts
    SUPERSEDED = "superseded"  # an upheld objection reopened the review
    DECLINED = "declined"  # the winner declined; the award passed on or the project failed


class AwardNotice(db.Model):
    """公示: the award result with the ranked bidders and their scores, open to objections until
    ``window_ends_at``. The ranking is a snapshot, so the notice reads the same forever."""

    __tablename__ = "award_notice"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id"))
    number: Mapped[int] = mapped_column(Integer)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id"))
    # Written when the award does not go to the top-ranked bid (or passes on after a decline).
    justification: Mapped[str | None] = mapped_column(Text)
    # [{"public_id", "org", "score", "requested_budget", "rank", "tie_key"}] in ranked order
    ranking: Mapped[list] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    window_ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[NoticeStatus] = mapped_column(
        enum_type(NoticeStatus), default=NoticeStatus.ACTIVE, index=True
    )
    closed_reason: Mapped[str | None] = mapped_column(Text)

    bid = relationship("Bid")
    round = relationship("ReviewRound")


class ObjectionStatus(LabelledEnum):
    __labels__ = {"pending": _l("待处理"), "upheld": _l("成立"), "dismissed": _l("不成立")}
    __badges__ = {"upheld": "text-bg-warning"}

    PENDING = "pending"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class Objection(db.Model):
    """异议: a student's objection to an award notice, once per student per notice."""

    __tablename__ = "objection"
    __table_args__ = (
        UniqueConstraint("notice_id", "student_id"),
        CheckConstraint("status = 'pending' OR (ruled_at IS NOT NULL AND ruling IS NOT NULL)", name="ruled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("award_notice.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[ObjectionStatus] = mapped_column(
        enum_type(ObjectionStatus), default=ObjectionStatus.PENDING, index=True
    )
    ruling: Mapped[str | None] = mapped_column(Text)
    ruled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ruled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    notice = relationship("AwardNotice")
    student = relationship("User", foreign_keys=[student_id])
    ruled_by = relationship("User", foreign_keys=[ruled_by_id])
