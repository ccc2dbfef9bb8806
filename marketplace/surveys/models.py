"""满意度问卷: a survey of a subject, its dimensions, window, audience and k, and the answers — kept so
that no answer can be tied to the student who gave it.

A survey is about one *subject*. ``kind`` says which, and each kind has its own key columns on the
survey (an exclusive arc: a project survey has ``project_id``, and a CHECK says so); a new kind — a
union's academic year, a staff member's term — adds its columns and its CHECK, not a second engine.

Anonymity as far as the app can promise it (docs/evaluation.md, "Anonymity"):

- ``SurveyRespondent`` says only *that* a student answered: its key is (survey, user) — which refuses a
  second answer in the database — and it has no other column: no time, no serial id.
- ``SurveyAnswer`` holds no user and no time finer than the date; its key is random, so neither it
  nor its order says who or when. Its stars are ``SurveyRating`` rows.
- ``SurveyComment`` is kept apart from the stars (nothing links a comment to an answer) with a random
  key too, and is shown in random order.

A subject whose survey is large and yearly (the union's, ``SubjectKind.keeps_tally``) keeps no answer
rows at all: ``SurveyTally`` counts per (college, grade, dimension, stars), incremented in place; the
results read distributions, so the tally feeds them without changing anything else.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import PublicId, UTCDateTime, enum_type, public_id, utcnow
from ..urls import path_for

STARS = range(1, 6)


class SubjectKind(LabelledEnum):
    """What a survey is about."""

    __labels__ = {
        "project": _l("项目满意度"),
        "union_year": _l("学生会年度满意度"),
        "staff_term": _l("述职评议"),
    }

    PROJECT = "project"
    # A union (校学生会, 研究生会, a 院系学生会) in an academic year: 每学年1次同学满意度评价.
    UNION_YEAR = "union_year"
    STAFF_TERM = "staff_term"  # a union staff member's term: the review (staff_review) and the person

    @property
    def keeps_tally(self) -> bool:
        """Whether the answers are kept only as counts per (college, grade, dimension, stars)."""
        return self == SubjectKind.UNION_YEAR


class RaterGroup(LabelledEnum):
    """Which group an answer's giver belongs to, where a subject's results break down by group (a staff
    member's term: the students served and the fellow staff). Coarse on purpose: see SurveyAnswer."""

    __labels__ = {"student": _l("同学"), "staff": _l("学生会工作人员")}

    STUDENT = "student"
    STAFF = "staff"


class SurveyStatus(LabelledEnum):
    """准备中 (dimensions may still change) → 填写中 → 已截止. A survey whose window has ended is
    已截止 whether or not anyone stored it: pages read ``Survey.status_at``."""

    __labels__ = {"prepared": _l("准备中"), "open": _l("填写中"), "closed": _l("已截止")}
    __badges__ = {"prepared": "text-bg-secondary", "open": "text-bg-success", "closed": "text-bg-dark"}

    PREPARED = "prepared"
    OPEN = "open"
    CLOSED = "closed"  # stored when the window ended early (the project closed or was cancelled)


class CommentStatus(LabelledEnum):
    __labels__ = {"shown": _l("显示"), "hidden": _l("已隐藏")}

    SHOWN = "shown"
    HIDDEN = "hidden"  # abusive: hidden by the union's staff, with a reason in the audit log


class Survey(db.Model):
    """问卷: the dimensions rated, the window, who is invited, and ``min_responses`` (k): results show
    only after the window, and only from k answers."""

    __tablename__ = "survey"
    __table_args__ = (
        CheckConstraint("kind != 'project' OR project_id IS NOT NULL", name="project_survey_names_project"),
        CheckConstraint(
            "kind != 'staff_term' OR (staff_review_id IS NOT NULL AND staff_user_id IS NOT NULL)",
            name="staff_term_survey_names_review_and_person",
        ),
        UniqueConstraint("staff_review_id", "staff_user_id"),
        CheckConstraint(
            "kind != 'union_year' OR (union_id IS NOT NULL AND academic_year_id IS NOT NULL)",
            name="union_survey_names_union_and_year",
        ),
        # One survey per union and academic year.
        UniqueConstraint("union_id", "academic_year_id"),
        # Spelled out: a CHECK lets NULL through, so "closes_at >= opens_at" alone would not do.
        CheckConstraint(
            "status = 'prepared' OR (opens_at IS NOT NULL AND closes_at IS NOT NULL "
            "AND closes_at >= opens_at AND min_responses IS NOT NULL AND min_responses >= 5)",
            name="opened_with_window_and_k",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SubjectKind] = mapped_column(enum_type(SubjectKind))
    # The subject's keys, one set per kind.
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), unique=True)
    staff_review_id: Mapped[int | None] = mapped_column(ForeignKey("staff_review.id", ondelete="CASCADE"))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    union_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    academic_year_id: Mapped[int | None] = mapped_column(ForeignKey("academic_year.id"), index=True)
    status: Mapped[SurveyStatus] = mapped_column(enum_type(SurveyStatus), default=SurveyStatus.PREPARED)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # k, fixed when the survey opens from the setting then in force (never below 5).
    min_responses: Mapped[int | None] = mapped_column(Integer)
    # How many were invited: written with the invitations, which are all written when the survey opens.
    # The pages read it instead of counting them (a union's yearly survey invites 30,000).
    invited: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project = relationship("Project")
    union = relationship("Organization")
    academic_year = relationship("AcademicYear")
    dimensions = relationship(
        "SurveyDimension",
        order_by="SurveyDimension.position",
        cascade="all, delete-orphan",
        back_populates="survey",
    )

    def status_at(self, now: datetime) -> SurveyStatus:
        """The status as the clock has it: an open survey whose window has ended is closed."""
        if self.status == SurveyStatus.OPEN and now >= self.closes_at:
            return SurveyStatus.CLOSED
        return self.status

    @property
    def url(self) -> str:
        return path_for("surveys.answer", survey_id=self.id)

    @property
    def results_url(self) -> str:
        if self.kind == SubjectKind.UNION_YEAR:
            return path_for("satisfaction.dashboard", org_id=self.union_id, year=self.academic_year_id)
        return path_for("surveys.results", survey_id=self.id)

    @property
    def subject_url(self) -> str:
        """The page of what the survey is about."""
        if self.kind == SubjectKind.UNION_YEAR:
            return self.results_url
        return self.project.url


class SurveyDimension(db.Model):
    """维度: one thing rated with 1–5 stars ("组织有序")."""

    __tablename__ = "survey_dimension"
    __table_args__ = (UniqueConstraint("survey_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(30))

    survey = relationship("Survey", back_populates="dimensions")


class SurveyInvitation(db.Model):
    """受邀: a student of the survey's audience, fixed when it opens."""

    __tablename__ = "survey_invitation"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)


class SurveyRespondent(db.Model):
    """已作答: that the student answered, and nothing else — no time, no serial id. The key refuses a
    second answer, whatever the requests racing."""

    __tablename__ = "survey_respondent"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)


class SurveyAnswer(db.Model):
    """答卷: a random key, the survey and the date — no user, no time of day. A subject whose results
    break down by rater group (a staff member's term) records the group too, and nothing finer: the
    breakdown shows only when every group has k answers (docs/staff-review.md)."""

    __tablename__ = "survey_answer"

    id: Mapped[str] = mapped_column(PublicId, primary_key=True, default=public_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    answered_on: Mapped[date] = mapped_column(Date)
    rater_group: Mapped[RaterGroup | None] = mapped_column(enum_type(RaterGroup))


class SurveyRating(db.Model):
    """The stars an answer gives one dimension."""

    __tablename__ = "survey_rating"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_in_range"),
        # A dimension's ratings (its deletion cascades to them). Results read ``SurveyStarCount``.
        Index("ix_survey_rating_dimension_id_stars", "dimension_id", "stars"),
    )

    answer_id: Mapped[str] = mapped_column(
        ForeignKey("survey_answer.id", ondelete="CASCADE"), primary_key=True
    )
    dimension_id: Mapped[int] = mapped_column(
        ForeignKey("survey_dimension.id", ondelete="CASCADE"), primary_key=True
    )
    stars: Mapped[int] = mapped_column(SmallInteger)


class SurveyStarCount(db.Model):
    """星级计数: how many answers gave a dimension so many stars, per rater group where the subject breaks
    down by one ("" where it does not). Kept in step with the answer rows by ``store_answer`` — one
    statement that inserts the row or adds one where it stands — so that results read a few rows per
    dimension instead of counting every rating (a term's 述职 results counted 360,000 each time)."""

    __tablename__ = "survey_star_count"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_in_range"),
        CheckConstraint("answers > 0", name="counts_someone"),
    )

    dimension_id: Mapped[int] = mapped_column(
        ForeignKey("survey_dimension.id", ondelete="CASCADE"), primary_key=True
    )
    rater_group: Mapped[str] = mapped_column(String(16), primary_key=True)  # a RaterGroup's value, or ""
    stars: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    answers: Mapped[int] = mapped_column(Integer)


class SurveyComment(db.Model):
    """意见: an answer's optional comment, kept apart from its stars (nothing links the two)."""

    __tablename__ = "survey_comment"

    id: Mapped[str] = mapped_column(PublicId, primary_key=True, default=public_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(enum_type(CommentStatus), default=CommentStatus.SHOWN)


class SurveyTally(db.Model):
    """计数: how many of a college's students of a grade gave a dimension so many stars — all that a
    tallied survey keeps of its answers. Each answer adds one to a row per dimension, in place
    (INSERT … ON CONFLICT DO UPDATE), so nothing records an answer as such, or when it came."""

    __tablename__ = "survey_tally"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_in_range"),
        CheckConstraint("responses > 0", name="counts_someone"),
    )

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    college_id: Mapped[int] = mapped_column(ForeignKey("college.id"), primary_key=True)
    grade: Mapped[int] = mapped_column(Integer, primary_key=True)
    dimension_id: Mapped[int] = mapped_column(
        ForeignKey("survey_dimension.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    stars: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    responses: Mapped[int] = mapped_column(Integer)
