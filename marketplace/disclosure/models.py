"""信息公开: what a union makes public of itself beyond its projects — its 章程 (charter, versioned), its
announcements (重要工作安排, 改革进展) — and the 意见建议 (suggestion box) students write to it.

A charter version and an announcement are drafted by the union's staff and published only once the
league reviewer approves them (重要信息发布审核): 草稿 → 待审核 → 已发布, or 退回 with a reason and back
to the staff. A newer published charter version supersedes the older, whose text stays in the history.
docs/disclosure.md tells the rules.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import UTCDateTime, enum_type, utcnow
from ..urls import path_for


class PublicationStatus(LabelledEnum):
    """草稿 → 待审核 → 已发布 (→ 已被新版本取代, a charter's older version); 退回 goes back to the staff."""

    __labels__ = {
        "draft": _l("草稿"),
        "pending": _l("待审核"),
        "published": _l("已发布"),
        "returned": _l("已退回"),
        "superseded": _l("历史版本"),
    }
    __badges__ = {
        "draft": "text-bg-light border",
        "pending": "text-bg-warning",
        "published": "text-bg-success",
        "returned": "text-bg-danger",
        "superseded": "text-bg-secondary",
    }

    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    RETURNED = "returned"
    SUPERSEDED = "superseded"

    @property
    def is_public(self) -> bool:
        return self in (PublicationStatus.PUBLISHED, PublicationStatus.SUPERSEDED)

    @property
    def is_editable(self) -> bool:
        return self in (PublicationStatus.DRAFT, PublicationStatus.RETURNED)


class AnnouncementKind(LabelledEnum):
    """What an announcement is about (the policy's words)."""

    __labels__ = {"arrangement": _l("重要工作安排"), "reform": _l("改革进展")}
    __badges__ = {"arrangement": "text-bg-primary", "reform": "text-bg-info"}

    ARRANGEMENT = "arrangement"
    REFORM = "reform"


class SuggestionStatus(LabelledEnum):
    __labels__ = {"submitted": _l("待回复"), "answered": _l("已回复")}
    __badges__ = {"submitted": "text-bg-warning", "answered": "text-bg-success"}

    SUBMITTED = "submitted"
    ANSWERED = "answered"


class Reviewed:
    """What a charter version and an announcement share: a union, an author, and the approval's facts
    (by the staff: submitted; by the league reviewer: approved or returned with a reason)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    status: Mapped[PublicationStatus] = mapped_column(enum_type(PublicationStatus))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def union(cls):
        return relationship("Organization")

    @declared_attr
    def author(cls):
        return relationship("User", foreign_keys=[cls.author_id])


class CharterVersion(Reviewed, db.Model):
    """章程 — one version of a union's charter. ``number`` is given when it is published (第 N 版);
    one version of a union is 已发布 at a time, the database says so."""

    __tablename__ = "charter_version"
    __table_args__ = (
        UniqueConstraint("union_id", "number"),
        Index(
            "uq_charter_version_one_published",
            "union_id",
            unique=True,
            postgresql_where=text("status = 'published'"),
            sqlite_where=text("status = 'published'"),
        ),
        CheckConstraint(
            "status NOT IN ('published', 'superseded') OR (number IS NOT NULL AND published_at IS NOT NULL)",
            name="published_has_number",
        ),
    )

    number: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")  # 修订说明
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def url(self) -> str:
        return path_for("disclosure.show", kind="charters", doc_id=self.id)

    @property
    def heading(self) -> str:
        return _("第 %(n)s 版", n=self.number) if self.number else self.status.label


class Announcement(Reviewed, db.Model):
    """公告: an important arrangement (重要工作安排) or a step of reform (改革进展) a union announces."""

    __tablename__ = "announcement"
    __table_args__ = (
        Index("ix_announcement_status_published_at", "status", "published_at"),
        CheckConstraint("status != 'published' OR published_at IS NOT NULL", name="published_has_date"),
    )

    kind: Mapped[AnnouncementKind] = mapped_column(enum_type(AnnouncementKind))
    title: Mapped[str] = mapped_column(String(100))

    @property
    def url(self) -> str:
        return path_for("disclosure.show", kind="announcements", doc_id=self.id)

    @property
    def heading(self) -> str:
        return self.title


class Suggestion(db.Model):
    """意见建议: a student's suggestion to a union, answered by its staff. Published — the text and the
    answer, never the author — only when answered and the author asked for it (``wants_public``)."""

    __tablename__ = "suggestion"
    __table_args__ = (
        Index("ix_suggestion_union_id_status", "union_id", "status"),
        Index("ix_suggestion_public", "wants_public", "status", "answered_at"),
        CheckConstraint("status != 'answered' OR answer IS NOT NULL", name="answered_has_answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)  # Markdown
    wants_public: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[SuggestionStatus] = mapped_column(enum_type(SuggestionStatus))
    answer: Mapped[str | None] = mapped_column(Text)  # Markdown
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    union = relationship("Organization")
    author = relationship("User", foreign_keys="Suggestion.author_id")

    @property
    def is_public(self) -> bool:
        return self.wants_public and self.status == SuggestionStatus.ANSWERED

    @property
    def url(self) -> str:
        return path_for("disclosure.suggestion", suggestion_id=self.id)
