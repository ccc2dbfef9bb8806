"""Background exports (导出任务): a file written by a task that reports its progress, a page that polls
it, and a download once done. Each area keeps its jobs in a table of its own with these columns
(``ExportJob``) — the credits export (``credits/export.py``) and the audit log's (``admin/export.py``)
— and runs them through :func:`run`; the page shows one with ``templates/_export_job.html``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from . import clock, storage
from .enums import LabelledEnum
from .extensions import db
from .models_base import PublicId, UTCDateTime, enum_type, public_id, utcnow

CHUNK = 1000


class ExportStatus(LabelledEnum):
    __labels__ = {"queued": _l("排队中"), "running": _l("生成中"), "done": _l("已完成"), "failed": _l("失败")}
    __badges__ = {
        "queued": "text-bg-secondary",
        "running": "text-bg-info",
        "done": "text-bg-success",
        "failed": "text-bg-danger",
    }

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportJob:
    """The columns of an export job; the area's model adds what it exports (a term, a filter)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    status: Mapped[ExportStatus] = mapped_column(enum_type(ExportStatus), default=ExportStatus.QUEUED)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    stored_name: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def requested_by(cls):
        return relationship("User")

    @property
    def percent(self) -> int:
        return min(100, self.processed_rows * 100 // self.total_rows) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    def progress(self) -> dict:
        """What the polling page reads."""
        return {
            "percent": 100 if self.finished else self.percent,
            "status": self.status.value,
            "finished": self.finished,
        }


def key(stored_name: str) -> str:
    return f"exports/{stored_name}"


def _report(model, job_id: int, done: int, total: int) -> None:
    # A separate short transaction, so the page polling the job sees progress while the file is written.
    with db.engine.begin() as conn:
        conn.execute(
            model.__table__.update()
            .where(model.id == job_id)
            .values(processed_rows=done, total_rows=total, status=ExportStatus.RUNNING.value)
        )


def run(
    model,
    job_id: int,
    write: Callable[[object, object, Callable[[int, int], None]], int],
    ready: Callable[[object], None] | None = None,
) -> None:
    """Write job ``job_id`` of ``model`` with ``write(job, out, progress)`` (returning the row count)
    to storage, mark it done — or failed, with the error, so its page stops waiting — and call
    ``ready(job)`` (a notification) before the commit."""
    job = db.session.get(model, job_id)
    stored = secrets.token_hex(16)
    try:
        with storage.writer(key(stored)) as out:
            rows = write(job, out, lambda done, total: _report(model, job_id, done, total))
    except Exception as error:  # the page must say it failed, not spin forever
        db.session.rollback()
        job = db.session.get(model, job_id)
        job.status, job.error, job.finished_at = ExportStatus.FAILED, str(error)[:2000], clock.now()
        db.session.commit()
        raise
    db.session.expire_all()
    job = db.session.get(model, job_id)
    job.status, job.stored_name, job.finished_at = ExportStatus.DONE, stored, clock.now()
    job.processed_rows = job.total_rows = rows
    if ready is not None:
        ready(job)
    db.session.commit()
