"""Second-classroom credit categories (第二课堂成绩单 模块) and their 学时→学分 rule."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..exports import ExportJob
from ..extensions import db
from ..models_base import PublicId, UTCDateTime, enum_type, public_id, utcnow
from ..urls import path_for

# The Youth League's second-classroom transcript modules; schools rename them in the admin pages.
DEFAULT_CATEGORIES = [
    ("思想成长", "ideology"),
    ("实践实习", "practice"),
    ("志愿公益", "volunteer"),
    ("创新创业", "innovation"),
    ("文体活动", "culture_sports"),
    ("工作履历", "work_record"),
    ("技能特长", "skills"),
]
DEFAULT_HOURS_PER_CREDIT = Decimal("8")


class CreditCategory(db.Model):
    """A transcript category (成绩单模块): credits = hours ÷ ``hours_per_credit``."""

    __tablename__ = "credit_category"
    __table_args__ = (CheckConstraint("hours_per_credit > 0", name="positive_rate"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    hours_per_credit: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=DEFAULT_HOURS_PER_CREDIT)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class CreditStatus(LabelledEnum):
    __labels__ = {"confirmed": _l("待审核"), "verified": _l("已认定"), "rejected": _l("未通过")}
    __badges__ = {"confirmed": "text-bg-warning", "verified": "text-bg-success", "rejected": "text-bg-danger"}

    CONFIRMED = "confirmed"  # confirmed by the host, waiting for verification
    VERIFIED = "verified"  # verified by the verifying role: on the transcript
    REJECTED = "rejected"


class CreditRecord(db.Model):
    """成绩单记录: hours credited to a student for one shift (or granted on appeal), in one category
    and term. ``credits`` is stored, so a later change of the 学时→学分 rule does not rewrite history."""

    __tablename__ = "credit_record"
    __table_args__ = (
        CheckConstraint("hours > 0", name="positive_hours"),
        CheckConstraint("status != 'verified' OR verified_by_id IS NOT NULL", name="verified_has_verifier"),
        CheckConstraint("status != 'rejected' OR rejection_reason IS NOT NULL", name="rejected_has_reason"),
        # The verification queue pages through the confirmed records, oldest first.
        Index("ix_credit_record_status_occurred", "status", "occurred_at", "id"),
        # A project's records by status: the queue's project filter asks each project for a waiting one.
        Index("ix_credit_record_project_status", "project_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"), index=True)
    # One record per attended sign-up; NULL for records granted on appeal without a sign-up.
    signup_id: Mapped[int | None] = mapped_column(ForeignKey("signup.id"), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("credit_category.id"), index=True)
    term_id: Mapped[int | None] = mapped_column(ForeignKey("term.id"), index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    credits: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    status: Mapped[CreditStatus] = mapped_column(
        enum_type(CreditStatus), default=CreditStatus.CONFIRMED, index=True
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the shift's start
    # Of a 补登 shift: entered by the host after the activity, attendance marked by hand.
    is_backfill: Mapped[bool] = mapped_column(Boolean, default=False)

    user = relationship("User", foreign_keys=[user_id])
    project = relationship("Project")
    category = relationship("CreditCategory")
    term = relationship("Term")
    history = relationship("CreditHistory", order_by="CreditHistory.id", cascade="all, delete-orphan")


class CreditHistory(db.Model):
    """Every change of a credit record, who made it and why (记录变更历史)."""

    __tablename__ = "credit_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("credit_record.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)

    actor = relationship("User")


class AppealStatus(LabelledEnum):
    __labels__ = {"pending": _l("待处理"), "accepted": _l("已采纳"), "rejected": _l("未采纳")}
    __badges__ = {"pending": "text-bg-secondary", "accepted": "text-bg-success", "rejected": "text-bg-danger"}

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CreditAppeal(db.Model):
    """学分申诉: a missing or wrong record, within the appeal period after the shift."""

    __tablename__ = "credit_appeal"
    __table_args__ = (
        CheckConstraint("status = 'pending' OR (ruling IS NOT NULL AND ruled_at IS NOT NULL)", name="ruled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("credit_record.id"))
    reason: Mapped[str] = mapped_column(Text)
    hours_claimed: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    evidence_name: Mapped[str | None] = mapped_column(String(255))
    evidence_stored: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[AppealStatus] = mapped_column(
        enum_type(AppealStatus), default=AppealStatus.PENDING, index=True
    )
    ruling: Mapped[str | None] = mapped_column(Text)
    ruled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ruled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user = relationship("User", foreign_keys=[user_id])
    shift = relationship("Shift")
    record = relationship("CreditRecord")
    ruled_by = relationship("User", foreign_keys=[ruled_by_id])


class TranscriptIssue(db.Model):
    """An issued transcript (成绩单): its unguessable verification code and a digest of the records it
    showed, so /verify/<code> can tell whether anything changed since."""

    __tablename__ = "transcript_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    digest: Mapped[str] = mapped_column(String(64))
    # {category name: {"hours": "12.0", "credits": "1.50"}} at issue time
    totals: Mapped[dict] = mapped_column(JSON)

    user = relationship("User")


class CreditExport(ExportJob, db.Model):
    """A staff export of a term's verified credits for the school's second-classroom system."""

    __tablename__ = "credit_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("term.id"))
    file_format: Mapped[str] = mapped_column(String(8))  # xlsx or csv

    term = relationship("Term")

    @property
    def url(self) -> str:
        return path_for("credits.export_status_page", public_id=self.public_id)
