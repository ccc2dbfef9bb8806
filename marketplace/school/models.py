"""The school calendar: academic years (学年) and terms (学期)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import SCHOOL_TZ


class AcademicYear(db.Model):
    """学年, e.g. 2025-2026学年."""

    __tablename__ = "academic_year"
    __table_args__ = (CheckConstraint("ends_on > starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    terms = relationship(
        "Term", back_populates="year", order_by="Term.starts_on", cascade="all, delete-orphan"
    )


class Term(db.Model):
    """学期. A credit belongs to the term containing its shift's start (dates in Asia/Shanghai)."""

    __tablename__ = "term"
    __table_args__ = (
        CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        UniqueConstraint("year_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("academic_year.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    year = relationship("AcademicYear", back_populates="terms")

    @property
    def full_name(self) -> str:
        return f"{self.year.name} {self.name}"


def term_containing(moment: datetime | date) -> Term | None:
    """The term whose dates contain ``moment`` (a UTC datetime is read on the school's calendar)."""
    day = moment.astimezone(SCHOOL_TZ).date() if isinstance(moment, datetime) else moment
    return db.session.scalar(select(Term).where(Term.starts_on <= day, Term.ends_on >= day))
