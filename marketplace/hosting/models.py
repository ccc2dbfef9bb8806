"""Hosting (承办): the host's progress updates and expenditures — the project's public timeline — and
the participants' check-in (参与同学签到), so the app knows who was served."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
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

from ..extensions import db
from ..models_base import PublicId, UTCDateTime, public_id, utcnow


class ProgressUpdate(db.Model):
    """进展: a milestone with how far the project has come, text and photos."""

    __tablename__ = "progress_update"
    __table_args__ = (CheckConstraint("percent >= 0 AND percent <= 100", name="percent_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    milestone: Mapped[str] = mapped_column(String(100))
    percent: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    photos = relationship("Photo", order_by="Photo.id", cascade="all, delete-orphan")
    author = relationship("User")


class Photo(db.Model):
    """A photo of a progress update: resized, location data stripped, stored outside static/."""

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_update.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)


class Expenditure(db.Model):
    """支出: money spent against the awarded budget. Going over needs a reason and is flagged to staff."""

    __tablename__ = "expenditure"
    __table_args__ = (CheckConstraint("amount > 0", name="positive_amount"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    spent_on: Mapped[date] = mapped_column(Date)
    item: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    # Set when this expenditure took the total over the awarded budget.
    over_budget_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CompletionReport(db.Model):
    """结项报告: outcomes, participants and spending; submitting it moves the project to evaluating.
    Its photos ride on a final progress update (100 %), so the public timeline shows them too."""

    __tablename__ = "completion_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    outcomes: Mapped[str] = mapped_column(Text)
    participants: Mapped[int] = mapped_column(Integer)
    spending_summary: Mapped[str] = mapped_column(Text)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_update.id"))

    update = relationship("ProgressUpdate")


class ParticipantDay(db.Model):
    """参与同学签到日: the participants' check-in of one event day, opened by the host on the day."""

    __tablename__ = "participant_day"
    __table_args__ = (UniqueConstraint("project_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)  # on the school's calendar
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project = relationship("Project")


class ParticipantCheckin(db.Model):
    """A student's check-in on an event day: that they were served, once per day (the key), and
    nothing more — not even the time, which the day already says well enough."""

    __tablename__ = "participant_checkin"

    day_id: Mapped[int] = mapped_column(
        ForeignKey("participant_day.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)


# Hosts and staff see how many came each day, never who: a count the page asks for, not the rows.
ParticipantDay.checked_in = column_property(
    select(func.count())
    .where(ParticipantCheckin.day_id == ParticipantDay.id)
    .correlate_except(ParticipantCheckin)
    .scalar_subquery(),
    deferred=True,
)
