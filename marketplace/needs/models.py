"""需求征集 (the needs pool): a student's need (需求), the supports (支持) of other students, comments,
photos, and the author's appeal (申诉) against hiding.

A need belongs to the school-level union that serves its author (本科 → 校学生会, 硕士/博士 → 研究生会).
Who wrote a need or a comment is kept for moderation and shown only to the author, the union's staff
and the league reviewers (docs/needs.md). ``Need.support_count`` is the number of its support rows,
kept beside them in the same transaction so the lists can sort by it without counting.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import PublicId, UTCDateTime, enum_type, public_id, utcnow
from ..urls import path_for


class NeedStatus(LabelledEnum):
    """待答复 → 已采纳 (served by a project) / 已合并 (into another need) / 未采纳 (with a reason);
    已隐藏 when it breaks the rules (the author may appeal once)."""

    __labels__ = {
        "open": _l("待答复"),
        "accepted": _l("已采纳"),
        "merged": _l("已合并"),
        "declined": _l("未采纳"),
        "hidden": _l("已隐藏"),
    }
    __badges__ = {
        "open": "text-bg-primary",
        "accepted": "text-bg-success",
        "merged": "text-bg-info",
        "declined": "text-bg-secondary",
        "hidden": "text-bg-dark",
    }

    OPEN = "open"
    ACCEPTED = "accepted"
    MERGED = "merged"
    DECLINED = "declined"
    HIDDEN = "hidden"


class NeedCommentStatus(LabelledEnum):
    __labels__ = {"shown": _l("显示"), "hidden": _l("已隐藏")}

    SHOWN = "shown"
    HIDDEN = "hidden"


class NeedAppealStatus(LabelledEnum):
    """隐藏申诉: 待处理 → 申诉成立 (the need shows again) / 维持隐藏."""

    __labels__ = {"pending": _l("待处理"), "upheld": _l("申诉成立"), "dismissed": _l("维持隐藏")}
    __badges__ = {"pending": "text-bg-warning", "upheld": "text-bg-success", "dismissed": "text-bg-secondary"}

    PENDING = "pending"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


class Need(db.Model):
    """一条需求."""

    __tablename__ = "need"
    __table_args__ = (
        CheckConstraint("status != 'accepted' OR project_id IS NOT NULL", name="accepted_names_project"),
        CheckConstraint("status != 'merged' OR merged_into_id IS NOT NULL", name="merged_names_target"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id != id", name="not_merged_into_itself"),
        CheckConstraint("status != 'declined' OR decline_reason IS NOT NULL", name="declined_has_reason"),
        CheckConstraint("status != 'hidden' OR hidden_reason IS NOT NULL", name="hidden_has_reason"),
        CheckConstraint("support_count >= 0", name="support_count_not_negative"),
        # The lists: by support, by time, each within a status (or none).
        Index("ix_need_support_count_id", "support_count", "id"),
        Index("ix_need_created_at_id", "created_at", "id"),
        Index("ix_need_status_answer_due_at", "status", "answer_due_at"),
        # A union's needs past their answer time, counted from the index alone (the staff's home row).
        Index("ix_need_union_status_answer_due_at", "union_id", "status", "answer_due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)  # Markdown
    category: Mapped[str] = mapped_column(String(32), index=True)  # a name from the setting
    college_id: Mapped[int | None] = mapped_column(ForeignKey("college.id"), index=True)
    status: Mapped[NeedStatus] = mapped_column(enum_type(NeedStatus))
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("need.id"), index=True)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    union = relationship("Organization")
    college = relationship("College")
    author = relationship("User", foreign_keys=[author_id])
    project = relationship("Project")
    merged_into = relationship("Need", remote_side=[id])
    photos = relationship("NeedPhoto", order_by="NeedPhoto.id", cascade="all, delete-orphan")
    appeal = relationship("NeedAppeal", uselist=False, back_populates="need")

    @property
    def url(self) -> str:
        return path_for("needs.show", need_id=self.id)


class NeedSupport(db.Model):
    """支持: one per student per need — the unique key holds it under any race."""

    __tablename__ = "need_support"
    __table_args__ = (
        UniqueConstraint("need_id", "user_id"),
        # The trend: supports of the last seven days, counted per need.
        Index("ix_need_support_created_at_need_id", "created_at", "need_id"),
        # One need's supports of the last seven days (the pool's column, counted for the rows shown).
        Index("ix_need_support_need_id_created_at", "need_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NeedComment(db.Model):
    """评论: shown without its author to everyone but the author, the union's staff and the league."""

    __tablename__ = "need_comment"
    __table_args__ = (
        CheckConstraint("status != 'hidden' OR hidden_reason IS NOT NULL", name="hidden_has_reason"),
        Index("ix_need_comment_need_id_id", "need_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[NeedCommentStatus] = mapped_column(enum_type(NeedCommentStatus))
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author = relationship("User")


class NeedPhoto(db.Model):
    """A photo of a need: resized and stripped of EXIF by the progress photos' pipeline."""

    __tablename__ = "need_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)

    @property
    def url(self) -> str:
        return path_for("needs.photo", public_id=self.public_id)


class NeedAppeal(db.Model):
    """隐藏申诉: the author's one appeal to the league reviewers against the hiding of their need."""

    __tablename__ = "need_appeal"
    __table_args__ = (CheckConstraint("status = 'pending' OR ruled_at IS NOT NULL", name="ruled_has_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[NeedAppealStatus] = mapped_column(enum_type(NeedAppealStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ruling: Mapped[str | None] = mapped_column(Text)
    ruled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ruled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    need = relationship("Need", back_populates="appeal")
