"""Volunteer recruitment (项目志愿者招募): positions, shifts, sign-ups, training and attendance.

因事用人、事完人散: a host recruits per project. Capacity is held by the database itself: a shift's
``taken`` counter moves only through a conditional UPDATE and a CHECK keeps it within ``capacity``.
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
    func,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from ..accounts.models import PoliticalStatus
from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import PublicId, UTCDateTime, enum_type, public_id, utcnow
from ..urls import path_for


class Admission(LabelledEnum):
    """How a position admits volunteers."""

    __labels__ = {
        "first_come": _l("报名制（先到先得）"),
        "approval": _l("评审制（承办方审核）"),
        "lottery": _l("中签制（截止后抽签）"),
    }

    FIRST_COME = "first_come"  # 报名制: accepted in order up to capacity
    APPROVAL = "approval"  # 评审制: the host decides
    LOTTERY = "lottery"  # 中签制: a recorded draw after sign-up closes


class Training(db.Model):
    """培训: a session held by a host or the union's staff; positions may require it."""

    __tablename__ = "training"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(100), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    attendees = relationship("TrainingAttendance", cascade="all, delete-orphan")


class TrainingAttendance(db.Model):
    __tablename__ = "training_attendance"
    __table_args__ = (UniqueConstraint("training_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("training.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", foreign_keys=[user_id])


# A list of trainings shows how many came, not who: a count it asks for, not every attendance row.
Training.attendee_count = column_property(
    select(func.count(TrainingAttendance.id))
    .where(TrainingAttendance.training_id == Training.id)
    .correlate_except(TrainingAttendance)
    .scalar_subquery(),
    deferred=True,
)


class Position(db.Model):
    """岗位: a volunteer role of a project, with its requirements and admission mode."""

    __tablename__ = "position"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    admission: Mapped[Admission] = mapped_column(enum_type(Admission), default=Admission.FIRST_COME)
    # The transcript category credited for this position; the project's by default.
    credit_category_id: Mapped[int | None] = mapped_column(ForeignKey("credit_category.id"))
    required_training_id: Mapped[int | None] = mapped_column(ForeignKey("training.id"))
    required_college_id: Mapped[int | None] = mapped_column(ForeignKey("college.id"))
    min_grade: Mapped[int | None] = mapped_column(Integer)
    max_grade: Mapped[int | None] = mapped_column(Integer)
    # 政治面貌 values accepted; empty means anyone.
    required_political: Mapped[list] = mapped_column(JSON, default=list)
    # Sign-ups close here (for a lottery, the draw follows); otherwise at each shift's start.
    signup_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project = relationship("Project")
    shifts = relationship("Shift", back_populates="position", order_by="Shift.starts_at")
    required_training = relationship("Training")
    required_college = relationship("College")
    credit_category = relationship("CreditCategory")

    @property
    def political_requirements(self) -> list[PoliticalStatus]:
        return [PoliticalStatus(value) for value in self.required_political or []]


class Shift(db.Model):
    """班次: a time and place with a capacity and the hours it credits."""

    __tablename__ = "shift"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="positive_capacity"),
        CheckConstraint("taken >= 0 AND taken <= capacity", name="within_capacity"),
        CheckConstraint("credit_hours > 0", name="positive_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    # Seats held by accepted (or offered) volunteers; moved only by conditional UPDATEs.
    taken: Mapped[int] = mapped_column(Integer, default=0)
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    # 补登: created after it had started (an activity already held). Nobody signs up; the host enters
    # who took part (``backfill.py``), and its credit records carry the mark.
    is_backfill: Mapped[bool] = mapped_column(Boolean, default=False)
    lottery_seed: Mapped[str | None] = mapped_column(String(64))
    lottery_drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    no_shows_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    position = relationship("Position", back_populates="shifts")

    @property
    def is_full(self) -> bool:
        return self.taken >= self.capacity

    @property
    def url(self) -> str:
        return path_for("volunteers.shift", shift_id=self.id)


class SignupStatus(LabelledEnum):
    __labels__ = {
        "applied": _l("待录取"),
        "accepted": _l("已录用"),
        "offered": _l("候补递补待确认"),
        "waiting": _l("候补中"),
        "cancelled": _l("已取消"),
        "rejected": _l("未录用"),
        "leave": _l("已请假"),
        "no_show": _l("缺勤"),
        "excused": _l("缺勤已撤销"),
        "project_cancelled": _l("项目已取消"),
    }
    __badges__ = {
        "applied": "text-bg-secondary",
        "accepted": "text-bg-success",
        "offered": "text-bg-warning",
        "waiting": "text-bg-info",
        "cancelled": "text-bg-light border text-secondary",
        "rejected": "text-bg-light border",
        "leave": "text-bg-light border",
        "no_show": "text-bg-danger",
        "excused": "text-bg-light border",
        "project_cancelled": "text-bg-light border text-secondary",
    }

    APPLIED = "applied"  # waiting for the host's decision or the draw
    ACCEPTED = "accepted"
    OFFERED = "offered"  # promoted close to the shift: holds a seat until confirmed
    WAITING = "waiting"  # 候补
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    LEAVE = "leave"  # 请假
    NO_SHOW = "no_show"  # 缺勤
    EXCUSED = "excused"  # a no-show cleared on appeal
    # The project was cancelled before the shift: nobody's choice, never a no-show.
    PROJECT_CANCELLED = "project_cancelled"

    @property
    def holds_seat(self) -> bool:
        return self in (SignupStatus.ACCEPTED, SignupStatus.OFFERED)


class Signup(db.Model):
    """报名: one per student per shift. Cancelling and signing up again reuses it (same public id),
    so nobody can re-roll a lottery."""

    __tablename__ = "signup"
    __table_args__ = (UniqueConstraint("shift_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[SignupStatus] = mapped_column(enum_type(SignupStatus), index=True)
    # Order on the waiting list: arrival time for first come, the draw key for a lottery.
    queue_key: Mapped[str] = mapped_column(String(64), default="")
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    leave_reason: Mapped[str | None] = mapped_column(Text)
    # When the host moved the shift after this volunteer was accepted: they may then cancel until it
    # starts, past the cut-off (the new time may not suit them).
    moved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    shift = relationship("Shift")
    user = relationship("User")
    attendance = relationship("Attendance", uselist=False, back_populates="signup")


class Attendance(db.Model):
    """考勤: check-in and check-out (by code or by the host's hand), and the hours credited."""

    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint("checked_out_at IS NULL OR checked_out_at > checked_in_at", name="out_after_in"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("signup.id", ondelete="CASCADE"), unique=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by the host: a hand-marked or corrected record carries who and why.
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    mark_reason: Mapped[str | None] = mapped_column(Text)
    credited_hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))

    signup = relationship("Signup", back_populates="attendance")


class AppealStatus(LabelledEnum):
    __labels__ = {"pending": _l("待处理"), "upheld": _l("成立"), "dismissed": _l("未采纳")}

    PENDING = "pending"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class NoShowAppeal(db.Model):
    """A student's appeal against a no-show mark (缺勤申诉)."""

    __tablename__ = "no_show_appeal"
    __table_args__ = (UniqueConstraint("signup_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("signup.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[AppealStatus] = mapped_column(enum_type(AppealStatus), default=AppealStatus.PENDING)
    ruling: Mapped[str | None] = mapped_column(Text)
    ruled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ruled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    signup = relationship("Signup")
