"""述职评议: once a term the league reviews each staff member of a union (校学生会, 研究生会, a college's
学生会) — the staff write their 述职 report, the students the union serves and the fellow staff rate
them, and after the window the league records a result for each.

The ratings are surveys (``surveys.models``): each staff member's term is one survey of kind
``SubjectKind.STAFF_TERM``, keyed by the review and the person, with the engine's anonymity (a bare
"has answered" row, answers with a random key and a date) and its k. Nobody is invited row by row —
30 staff × 30,000 students would be 900,000 rows a term: who may rate is a rule checked when the rating
is given (``eligibility``), and ``StaffReview.audience_size``, counted at opening, gives the response
rates. docs/staff-review.md tells the rules.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..exports import ExportJob
from ..extensions import db
from ..models_base import StoredAttachment, UTCDateTime, enum_type, utcnow
from ..urls import path_for


class ReviewStatus(LabelledEnum):
    """评议中 → (the window ends: 已截止, read by ``StaffReview.status_at``) → 结果已公布."""

    __labels__ = {"open": _l("评议中"), "closed": _l("已截止，待评定"), "published": _l("结果已公布")}
    __badges__ = {"open": "text-bg-success", "closed": "text-bg-warning", "published": "text-bg-dark"}

    OPEN = "open"
    CLOSED = "closed"  # never stored: an open review whose window has ended
    PUBLISHED = "published"


class StaffGrade(LabelledEnum):
    """评议结果."""

    __labels__ = {
        "excellent": _l("优秀"),
        "competent": _l("合格"),
        "basically_competent": _l("基本合格"),
        "incompetent": _l("不合格"),
    }
    __badges__ = {
        "excellent": "text-bg-success",
        "competent": "text-bg-primary",
        "basically_competent": "text-bg-warning",
        "incompetent": "text-bg-danger",
    }

    EXCELLENT = "excellent"
    COMPETENT = "competent"
    BASICALLY_COMPETENT = "basically_competent"
    INCOMPETENT = "incompetent"


class TalkStatus(LabelledEnum):
    """提醒谈话 after a 不合格: planned for a date, then recorded as held."""

    __labels__ = {"planned": _l("待谈话"), "held": _l("已谈话")}
    __badges__ = {"planned": "text-bg-warning", "held": "text-bg-success"}

    PLANNED = "planned"
    HELD = "held"


class StaffReview(db.Model):
    """一次述职评议: a union's staff in one term, with the rating window."""

    __tablename__ = "staff_review"
    __table_args__ = (
        UniqueConstraint("union_id", "term_id"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("term.id"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(enum_type(ReviewStatus))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Who may rate when it opened: the students the union serves and its staff under review.
    audience_size: Mapped[int] = mapped_column(Integer)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The raters still to rate someone were reminded (``tasks.send_reminders``), once.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    union = relationship("Organization")
    term = relationship("Term")
    reviewees = relationship(
        "StaffReviewee",
        back_populates="review",
        order_by="StaffReviewee.position",
        cascade="all, delete-orphan",
    )

    def status_at(self, now: datetime) -> ReviewStatus:
        if self.status == ReviewStatus.OPEN and now >= self.closes_at:
            return ReviewStatus.CLOSED
        return self.status

    @property
    def url(self) -> str:
        return path_for("staff_review.show", review_id=self.id)


class StaffReviewee(db.Model):
    """述职人: a staff member under review (an active member of the union on the opening day), their
    述职 report, and the league's result — shown to the person only once the review is published."""

    __tablename__ = "staff_reviewee"
    __table_args__ = (UniqueConstraint("review_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("staff_review.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the order of the union's roster
    title: Mapped[str] = mapped_column(String(64), default="")  # 职务 on the opening day
    report: Mapped[str] = mapped_column(Text, default="")  # Markdown
    report_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    grade: Mapped[StaffGrade | None] = mapped_column(enum_type(StaffGrade))
    notes: Mapped[str] = mapped_column(Text, default="")  # for the league and the person only
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    review = relationship("StaffReview", back_populates="reviewees")
    user = relationship("User")
    attachments = relationship(
        "ReportAttachment",
        primaryjoin=(
            "and_(ReportAttachment.reviewee_id == StaffReviewee.id, ReportAttachment.removed_at.is_(None))"
        ),
        order_by="ReportAttachment.id",
        viewonly=True,
    )
    talk = relationship("ReminderTalk", back_populates="reviewee", uselist=False)


class ReportAttachment(StoredAttachment, db.Model):
    """述职报告附件: stored like a bid's attachments, served only to those who may read the report."""

    __tablename__ = "staff_report_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewee_id: Mapped[int] = mapped_column(ForeignKey("staff_reviewee.id", ondelete="CASCADE"), index=True)

    reviewee = relationship("StaffReviewee")

    @property
    def url(self) -> str:
        return path_for("staff_review.attachment", public_id=self.public_id)


class ReminderTalk(db.Model):
    """提醒谈话: the follow-up of a 不合格 — planned for ``due_on``, recorded as held on ``held_on``."""

    __tablename__ = "staff_reminder_talk"
    __table_args__ = (CheckConstraint("status != 'held' OR held_on IS NOT NULL", name="held_has_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewee_id: Mapped[int] = mapped_column(ForeignKey("staff_reviewee.id", ondelete="CASCADE"), unique=True)
    status: Mapped[TalkStatus] = mapped_column(enum_type(TalkStatus))
    due_on: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)

    reviewee = relationship("StaffReviewee", back_populates="talk")


class ResultsExport(ExportJob, db.Model):
    """The league's workbook of a review's results (述职评议结果导出), written in the background."""

    __tablename__ = "staff_review_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("staff_review.id", ondelete="CASCADE"), index=True)

    review = relationship("StaffReview")

    @property
    def url(self) -> str:
        return path_for("staff_review.export_page", public_id=self.public_id)
