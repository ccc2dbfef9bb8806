"""评价 records: a closed project's final score (最终得分) with the inputs it was computed from, and the
improvement plan (整改说明) a score below the line requires of the host."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import UTCDateTime, enum_type, utcnow


class FinalOutcome(LabelledEnum):
    """Whether the evaluation produced a score: neither a submitted panel nor enough survey answers
    leaves the project 评价未完成."""

    __labels__ = {"scored": _l("已评分"), "incomplete": _l("评价未完成")}

    SCORED = "scored"
    INCOMPLETE = "incomplete"


class FinalScore(db.Model):
    """最终得分: computed once, when the project closes, and kept with what it was computed from — the
    panel's and the students' scores, the answers counted, the k and the weight in force — so a later
    change of the settings rewrites no project's score."""

    __tablename__ = "final_score"
    __table_args__ = (
        CheckConstraint(
            "(outcome = 'scored' AND score IS NOT NULL) OR (outcome = 'incomplete' AND score IS NULL)",
            name="score_when_scored",
        ),
        CheckConstraint("panel_weight_percent BETWEEN 0 AND 100", name="weight_is_a_percentage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), unique=True)
    outcome: Mapped[FinalOutcome] = mapped_column(enum_type(FinalOutcome))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # 0.01, rounded half up
    # The inputs that counted (None: left out), to 4 places; the score itself comes from their
    # exact values.
    panel_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    satisfaction_score: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    responses: Mapped[int] = mapped_column(Integer)  # survey answers at the close
    min_responses: Mapped[int] = mapped_column(Integer)  # k in force
    panel_weight_percent: Mapped[int] = mapped_column(Integer)  # w in force
    # When the evaluation ended: the window's end when the clock closed it, or the staff's close.
    # Reputation weighs a score by its age from here.
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    improvement = relationship(
        "ImprovementPlan",
        primaryjoin="FinalScore.project_id == foreign(ImprovementPlan.project_id)",
        uselist=False,
        viewonly=True,
    )

    @property
    def panel_shown(self) -> Decimal | None:
        return _cent(self.panel_score)

    @property
    def satisfaction_shown(self) -> Decimal | None:
        return _cent(self.satisfaction_score)

    @property
    def panel_only(self) -> bool:
        return self.outcome == FinalOutcome.SCORED and self.satisfaction_score is None

    @property
    def satisfaction_only(self) -> bool:
        return self.outcome == FinalOutcome.SCORED and self.panel_score is None


def _cent(value: Decimal | None) -> Decimal | None:
    """A stored input as the page shows it, to 0.01 like the score."""
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class ImprovementStatus(LabelledEnum):
    """整改说明's status. Overdue is not a status: it is a required plan past its due time
    (``ImprovementPlan.overdue``)."""

    __labels__ = {"required": _l("整改未提交"), "submitted": _l("已提交整改说明")}
    __badges__ = {"required": "text-bg-warning", "submitted": "text-bg-success"}

    REQUIRED = "required"
    SUBMITTED = "submitted"


class ImprovementPlan(db.Model):
    """整改说明: what the host will change, owed by its managers within the set days of the close when
    the final score fell below the line. The next posting of a project of the same category, and the
    panels reviewing the host's next bids, show it — or that it is missing."""

    __tablename__ = "improvement_plan"
    __table_args__ = (
        CheckConstraint(
            "status != 'submitted' OR (body IS NOT NULL AND submitted_at IS NOT NULL)",
            name="submitted_has_text",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)  # the host
    status: Mapped[ImprovementStatus] = mapped_column(enum_type(ImprovementStatus))
    threshold: Mapped[int] = mapped_column(Integer)  # the line in force at the close
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    body: Mapped[str | None] = mapped_column(Text)  # Markdown
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    project = relationship("Project")

    def overdue(self, now: datetime) -> bool:
        return self.status == ImprovementStatus.REQUIRED and now >= self.due_at
