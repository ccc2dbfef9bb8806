"""Bids (标书), their revisions and attachments, and recusals (回避).

A bid is sealed until the bidding deadline: see bids/visibility.py. Bids, revisions and attachments
carry random public ids, and nothing about them touches a public timestamp.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import PublicId, StoredAttachment, UTCDateTime, enum_type, public_id, utcnow
from ..urls import path_for


class BidStatus(LabelledEnum):
    __labels__ = {"submitted": _l("已提交"), "withdrawn": _l("已撤回")}
    __badges__ = {"submitted": "text-bg-success"}

    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Bid(db.Model):
    """标书: one per organization per project."""

    __tablename__ = "bid"
    __table_args__ = (
        UniqueConstraint("project_id", "org_id"),
        CheckConstraint("requested_budget >= 0", name="budget_not_negative"),
        CheckConstraint("expected_volunteers >= 0", name="volunteers_not_negative"),
        CheckConstraint("NOT confirmed OR confirmed_at IS NOT NULL", name="confirmation_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    status: Mapped[BidStatus] = mapped_column(enum_type(BidStatus), default=BidStatus.SUBMITTED)
    summary: Mapped[str] = mapped_column(Text)
    plan: Mapped[str] = mapped_column(Text)
    requested_budget: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    timeline: Mapped[str] = mapped_column(Text, default="")
    # User ids of the organization's members who form the team.
    team: Mapped[list] = mapped_column(JSON, default=list)
    expected_volunteers: Mapped[int] = mapped_column(Integer, default=0)
    # False after the project's requirements changed: a bid not re-confirmed is not valid at the deadline.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic lock: a save from a stale tab is refused instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    project = relationship("Project")
    org = relationship("Organization")
    revisions = relationship(
        "BidRevision", order_by="BidRevision.number", back_populates="bid", cascade="all, delete-orphan"
    )
    attachments = relationship(
        "BidAttachment",
        order_by="BidAttachment.id",
        back_populates="bid",
        cascade="all, delete-orphan",
        primaryjoin="and_(BidAttachment.bid_id == Bid.id, BidAttachment.removed_at.is_(None))",
        viewonly=True,
    )

    @property
    def is_active(self) -> bool:
        return self.status == BidStatus.SUBMITTED

    @property
    def url(self) -> str:
        return path_for("bids.show", public_id=self.public_id)

    def content(self) -> dict:
        """What a revision keeps and the audit log hashes."""
        return {
            "summary": self.summary,
            "plan": self.plan,
            "requested_budget": str(self.requested_budget),
            "timeline": self.timeline,
            "team": list(self.team or []),
            "expected_volunteers": self.expected_volunteers,
        }


class BidRevision(db.Model):
    """Every saved version of a bid (修订记录)."""

    __tablename__ = "bid_revision"
    __table_args__ = (UniqueConstraint("bid_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bid = relationship("Bid", back_populates="revisions")
    author = relationship("User")


class BidAttachment(StoredAttachment, db.Model):
    """附件: stored outside static/, served only to those who may see the bid."""

    __tablename__ = "bid_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bid.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    bid = relationship("Bid", back_populates="attachments")

    @property
    def url(self) -> str:
        return path_for("bids.attachment", public_id=self.public_id)


class Recusal(db.Model):
    """回避: a person recorded as recused from a project because they belong to a bidding organization."""

    __tablename__ = "recusal"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")
    org = relationship("Organization")
