"""Exports written in the background (后台导出), one mechanism for every file too large or too slow for a
request: a job row (the ``ExportJob`` columns) that the page polls for its progress
(``templates/_export_job.html`` with ``[data-poll]`` in ``static/js/app.js``), a task that writes the
file into ``storage`` under ``exports/…`` (``run``) and marks the job done or failed, and a download
once it is done — served only by a view that has made its permission check. The credit export, the
audit log's and the 述职评议 results use it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from flask import Response, abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from . import clock, storage
from .enums import LabelledEnum
from .extensions import db
from .models_base import PublicId, UTCDateTime, enum_type, public_id, utcnow

# Rows read per round trip by a writer, and how often it reports its progress.
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
    """The columns of a background export (导出任务): who asked, its progress in rows, the stored file's
    random name once done, or the error it failed with."""

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

    @property
    def key(self) -> str:
        return key(self.stored_name)

    def progress(self) -> dict:
        """What the page polls (``[data-poll]``)."""
        return {
            "percent": 100 if self.finished else self.percent,
            "status": self.status.value,
            "finished": self.finished,
        }


def key(stored_name: str) -> str:
    return f"exports/{stored_name}"


def report(model: type[ExportJob], job_id: int, done: int, total: int) -> None:
    """Progress of a running job, in a short transaction of its own, so that the page polling it sees
    the rows counted while the file is still being written."""
    with db.engine.begin() as conn:
        conn.execute(
            model.__table__.update()
            .where(model.id == job_id)
            .values(processed_rows=done, total_rows=total, status=ExportStatus.RUNNING.value)
        )


def send(job: ExportJob, *, name: str, fallback: str, mimetype: str) -> Response:
    """The finished file of ``job`` (404 while it is not done), for a view that has checked who asks."""
    if job.status != ExportStatus.DONE:
        abort(404)
    return storage.send(job.key, name=name, fallback=fallback, mimetype=mimetype)


def run(model: type[ExportJob], job_id: int, write: Callable[..., int]) -> ExportJob:
    """Write job ``job_id`` of ``model``: ``write(job, out, progress)`` writes the file to ``out`` (a
    binary file in storage), calls ``progress(done, total)`` as it goes and returns the row count. The
    job ends done, or failed with the error (and the error raised again). The caller tells the requester
    and commits."""
    job = db.session.get(model, job_id)
    stored = secrets.token_hex(16)
    try:
        with storage.writer(key(stored)) as out:
            rows = write(job, out, lambda done, total: report(model, job_id, done, total))
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
    return job
