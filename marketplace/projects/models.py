"""Projects (工作项目): what a union posts (发榜), its review criteria, Q&A and recorded changes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import settings
from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import UTCDateTime, enum_type, utcnow
from ..orgs.models import OrgKind
from ..urls import path_for


class ProjectState(LabelledEnum):
    """The stored state. Pages read the *effective* state (projects.lifecycle.effective_state), which
    also applies the steps the clock has made due but nobody has persisted yet."""

    __labels__ = {
        "draft": _l("草稿"),
        "pending_approval": _l("待团委审核"),
        "open": _l("竞标中"),
        "reviewing": _l("评标中"),
        "award_notice": _l("结果公示"),
        "hosting": _l("承办中"),
        "evaluating": _l("评价中"),
        "closed": _l("已结项"),
        "failed": _l("流标"),
        "cancelled": _l("已取消"),
    }
    __badges__ = {
        "draft": "text-bg-secondary",
        "pending_approval": "text-bg-warning",
        "open": "text-bg-success",
        "reviewing": "text-bg-info",
        "award_notice": "text-bg-info",
        "hosting": "text-bg-primary",
        "evaluating": "text-bg-primary",
        "closed": "text-bg-dark",
        "failed": "text-bg-light border",
        "cancelled": "text-bg-light border text-secondary",
    }

    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    OPEN = "open"
    REVIEWING = "reviewing"
    AWARD_NOTICE = "award_notice"
    HOSTING = "hosting"
    EVALUATING = "evaluating"
    CLOSED = "closed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ProjectCategory(LabelledEnum):
    """项目类别."""

    __labels__ = {
        "academic": _l("学业发展"),
        "career": _l("升学就业"),
        "wellbeing": _l("身心健康"),
        "social": _l("社会融入"),
        "rights": _l("权益维护"),
        "research": _l("学术科研"),
        "innovation": _l("创新创业"),
        "culture_sports": _l("文体素质"),
        "other": _l("其他"),
    }

    ACADEMIC = "academic"
    CAREER = "career"
    WELLBEING = "wellbeing"
    SOCIAL = "social"
    RIGHTS = "rights"
    RESEARCH = "research"
    INNOVATION = "innovation"
    CULTURE_SPORTS = "culture_sports"
    OTHER = "other"


# How people call a project's fields: the change notices (变更公告) and the audit log name them so.
FIELD_LABELS = {
    "title": _l("项目名称"),
    "category": _l("项目类别"),
    "description": _l("需求说明"),
    "expected_outcomes": _l("预期成效"),
    "budget_cap": _l("预算上限"),
    "allow_college_union": _l("院系学生会可否竞标"),
    "allow_club": _l("社团可否竞标"),
    "allow_class": _l("班级可否竞标"),
    "bid_deadline": _l("竞标截止时间"),
    "hosting_starts_on": _l("承办开始日期"),
    "hosting_ends_on": _l("承办结束日期"),
    "credit_category_id": _l("学分类别"),
    "flagged_major": _l("重大项目标记"),
    "criteria": _l("评审标准"),
}


class Project(db.Model):
    """A work project posted by a school-level union (发榜)."""

    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint("budget_cap > 0", name="positive_cap"),
        CheckConstraint("allow_college_union OR allow_club OR allow_class", name="someone_may_bid"),
        CheckConstraint("hosting_ends_on >= hosting_starts_on", name="hosting_period_ordered"),
        # The state implies its facts: once bidding has closed into review, the draw's seed is fixed.
        CheckConstraint(
            "state IN ('draft', 'pending_approval', 'open', 'failed', 'cancelled') "
            "OR tiebreak_seed IS NOT NULL",
            name="seed_fixed_after_bidding",
        ),
        CheckConstraint("state != 'cancelled' OR cancel_reason IS NOT NULL", name="cancel_has_reason"),
        # The staff dashboard: a union's projects counted by stored state from the index alone, and each
        # state's newest first (projects.queries.StatePagination).
        Index("ix_project_union_id_state_created_at", "union_id", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[ProjectCategory] = mapped_column(enum_type(ProjectCategory), index=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    description: Mapped[str] = mapped_column(Text)
    expected_outcomes: Mapped[str] = mapped_column(Text)
    budget_cap: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    allow_college_union: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_club: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_class: Mapped[bool] = mapped_column(Boolean, default=False)
    bid_deadline: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    hosting_starts_on: Mapped[date] = mapped_column(Date)
    hosting_ends_on: Mapped[date] = mapped_column(Date)
    credit_category_id: Mapped[int | None] = mapped_column(ForeignKey("credit_category.id"))
    flagged_major: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[ProjectState] = mapped_column(
        enum_type(ProjectState), default=ProjectState.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    bidding_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    tiebreak_seed: Mapped[str | None] = mapped_column(String(64))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancel_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    return_reason: Mapped[str | None] = mapped_column(Text)
    reposted_from_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    # The organization hosting the project (承办方), set when the award notice ends.
    host_org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    deadline_reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 评价期: set when the project enters 评价中, from the setting then in force, so changing the setting
    # later moves no running evaluation. The outcome panel's and the survey's deadline; at its end the
    # clock closes the project.
    evaluation_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Optimistic lock: two staff editing the same project from two tabs do not overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    union = relationship("Organization", foreign_keys=[union_id])
    host_org = relationship("Organization", foreign_keys=[host_org_id])
    credit_category = relationship("CreditCategory")
    created_by = relationship("User", foreign_keys=[created_by_id])
    criteria = relationship(
        "Criterion",
        order_by="Criterion.position",
        cascade="all, delete-orphan",
        back_populates="project",
    )

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.state}>"

    @property
    def url(self) -> str:
        return path_for("projects.show", project_id=self.id)

    @property
    def eligible_kinds(self) -> list[OrgKind]:
        flags = (
            (OrgKind.COLLEGE_UNION, self.allow_college_union),
            (OrgKind.CLUB, self.allow_club),
            (OrgKind.CLASS, self.allow_class),
        )
        return [kind for kind, allowed in flags if allowed]

    def admits(self, kind: OrgKind) -> bool:
        return kind in self.eligible_kinds

    @property
    def is_major(self) -> bool:
        """重大项目: flagged, or a budget over the configured threshold; needs the league's approval."""
        return self.flagged_major or self.budget_cap > Decimal(str(settings.get("major_budget_threshold")))

    @property
    def bid_criteria(self) -> list[Criterion]:
        return [c for c in self.criteria if c.purpose == CriterionPurpose.BID]

    @property
    def outcome_criteria(self) -> list[Criterion]:
        return [c for c in self.criteria if c.purpose == CriterionPurpose.OUTCOME]


class CriterionPurpose(LabelledEnum):
    """What criteria, and the panel that applies them, judge: the bids (评标) or the project's outcome
    once hosted (成效评估)."""

    __labels__ = {"bid": _l("评标"), "outcome": _l("成效评估")}
    __badges__ = {"bid": "text-bg-info", "outcome": "text-bg-primary"}

    BID = "bid"
    OUTCOME = "outcome"


class Criterion(db.Model):
    """A review criterion with its weight; a project's bid criteria weigh 100 in all."""

    __tablename__ = "criterion"
    __table_args__ = (CheckConstraint("weight > 0 AND weight <= 100", name="weight_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[CriterionPurpose] = mapped_column(
        enum_type(CriterionPurpose), default=CriterionPurpose.BID
    )
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    project = relationship("Project", back_populates="criteria")


class Question(db.Model):
    """答疑: a bidder's question and the staff's public answer (the asker is never shown)."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    asker = relationship("User", foreign_keys=[asker_id])


class ProjectChange(db.Model):
    """A change of requirements while bidding is open (变更公告): what changed, and a moved deadline."""

    __tablename__ = "project_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # {"field": [before, after]} for the fields that changed
    changes: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    deadline_moved_to: Mapped[datetime | None] = mapped_column(UTCDateTime())

    actor = relationship("User")
