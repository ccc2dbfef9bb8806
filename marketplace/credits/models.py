"""Second-classroom credit categories (第二课堂成绩单 模块) and their 学时→学分 rule."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import DegreeLevel
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
        # The records waiting for verification, oldest confirmation first (the verifier's home row).
        Index(
            "ix_credit_record_waiting_confirmed_at",
            "confirmed_at",
            postgresql_where=text("status = 'confirmed'"),
            sqlite_where=text("status = 'confirmed'"),
        ),
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
    # 认定单位, written when the record is verified: the office named in the settings, or the union
    # whose staff verified it — an office, never a person, because the transcript prints it.
    verifying_office: Mapped[str | None] = mapped_column(String(64))

    user = relationship("User", foreign_keys=[user_id])
    project = relationship("Project")
    position = relationship("Position")
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


class DocumentKind(LabelledEnum):
    """What an issued document is: a 第二课堂成绩单, or a 志愿服务证明 for one project."""

    __labels__ = {"transcript": _l("第二课堂成绩单"), "certificate": _l("志愿服务证明")}

    TRANSCRIPT = "transcript"
    CERTIFICATE = "certificate"


class DocumentIssue(db.Model):
    """An issued document (出具的文件): its unguessable verification code, the digest over exactly the
    records it showed, and what it said — totals, requirement and 达标, office, dates — as printed, so
    /verify/<code> shows the document as it was and whether the records changed since.

    The table keeps its first name (transcripts were the only kind): renaming it would rename every
    constraint with it for nothing a reader sees."""

    __tablename__ = "transcript_issue"
    __table_args__ = (
        CheckConstraint("kind != 'certificate' OR project_id IS NOT NULL", name="certificate_has_project"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_type(DocumentKind), default=DocumentKind.TRANSCRIPT)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # The project a certificate is for; None for a transcript.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    digest: Mapped[str] = mapped_column(String(64))
    # {category name: {"hours": "12.0", "credits": "1.50"}} at issue time
    totals: Mapped[dict] = mapped_column(JSON)
    # What the document printed beyond the totals: masked name, school, office, date range, hours,
    # credits, requirement lines and 达标, the pending count (None on issues older than snapshots).
    snapshot: Mapped[dict | None] = mapped_column(JSON)

    user = relationship("User")
    project = relationship("Project")


class RequirementUnit(LabelledEnum):
    """What a requirement counts: 学分 or 学时."""

    __labels__ = {"credits": _l("学分"), "hours": _l("学时")}

    CREDITS = "credits"
    HOURS = "hours"


class CreditRequirement(db.Model):
    """第二课堂达标要求 of one cohort (year of entry, ``User.grade``) and degree level: a total and
    per-category minimums (``items``), each in 学分 or 学时."""

    __tablename__ = "credit_requirement"
    __table_args__ = (
        UniqueConstraint("grade", "degree_level"),
        CheckConstraint("total >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grade: Mapped[int] = mapped_column(Integer)
    degree_level: Mapped[DegreeLevel] = mapped_column(enum_type(DegreeLevel))
    total: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    total_unit: Mapped[RequirementUnit] = mapped_column(enum_type(RequirementUnit))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    items = relationship(
        "CreditRequirementItem", order_by="CreditRequirementItem.id", cascade="all, delete-orphan"
    )


class CreditRequirementItem(db.Model):
    """A category's minimum within a requirement, keyed by the category's id: renaming the category
    changes nothing."""

    __tablename__ = "credit_requirement_item"
    __table_args__ = (
        UniqueConstraint("requirement_id", "category_id"),
        CheckConstraint("minimum > 0", name="positive_minimum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("credit_requirement.id", ondelete="CASCADE"))
    category_id: Mapped[int] = mapped_column(ForeignKey("credit_category.id"))
    minimum: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    unit: Mapped[RequirementUnit] = mapped_column(enum_type(RequirementUnit))

    category = relationship("CreditCategory")


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


class ShortfallExport(ExportJob, db.Model):
    """An export of one cohort's students below its requirement (未达标名单), perhaps of one college."""

    __tablename__ = "shortfall_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    grade: Mapped[int] = mapped_column(Integer)
    degree_level: Mapped[DegreeLevel] = mapped_column(enum_type(DegreeLevel))
    college_id: Mapped[int | None] = mapped_column(ForeignKey("college.id"))

    college = relationship("College")

    @property
    def url(self) -> str:
        return path_for("credits.shortfall_status_page", public_id=self.public_id)


class CertificateExport(ExportJob, db.Model):
    """A project's 志愿服务证明, one PDF per student with verified records, in a ZIP named by 学号."""

    __tablename__ = "certificate_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)

    project = relationship("Project")

    @property
    def url(self) -> str:
        return path_for("credits.certificates_status_page", public_id=self.public_id)
