"""Roster imports (名册导入): a file checked in full, previewed, then written all at once."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..enums import LabelledEnum
from ..extensions import db
from ..models_base import PublicId, UTCDateTime, enum_type, public_id, utcnow
from ..urls import path_for


class ImportStatus(LabelledEnum):
    __labels__ = {
        "queued": _l("排队中"),
        "checking": _l("检查中"),
        "invalid": _l("未通过检查"),
        "ready": _l("待确认导入"),
        "importing": _l("导入中"),
        "done": _l("已导入"),
        "failed": _l("出错"),
    }
    __badges__ = {
        "queued": "text-bg-secondary",
        "checking": "text-bg-info",
        "invalid": "text-bg-danger",
        "ready": "text-bg-warning",
        "importing": "text-bg-info",
        "done": "text-bg-success",
        "failed": "text-bg-danger",
    }

    QUEUED = "queued"  # uploaded, waiting for the worker to check it
    CHECKING = "checking"
    INVALID = "invalid"  # some rows have errors: nothing will be written
    READY = "ready"  # every row valid: waiting for the admin to confirm
    IMPORTING = "importing"
    DONE = "done"
    FAILED = "failed"  # an unexpected error; nothing was written

    @property
    def is_running(self) -> bool:
        """Waiting for or inside a background task: the job page follows its progress."""
        return self in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING)


class ImportJob(db.Model):
    """One uploaded roster file and how far its check and import have come."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    filename: Mapped[str] = mapped_column(String(255))
    stored_path: Mapped[str] = mapped_column(String(500))  # the upload's key in marketplace.storage
    status: Mapped[ImportStatus] = mapped_column(enum_type(ImportStatus), default=ImportStatus.QUEUED)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    # [{"row": 3, "column": "学号", "message": "…"}]
    errors: Mapped[list] = mapped_column(JSON, default=list)
    # The first rows as parsed, for the preview table.
    preview: Mapped[list] = mapped_column(JSON, default=list)
    # Counts of what was (or will be) created and updated.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by = relationship("User")

    @property
    def url(self) -> str:
        return path_for("roster.show", public_id=self.public_id)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
