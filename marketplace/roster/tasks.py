"""Background work of roster imports: checking a file, and importing it (Huey tasks).

Each run commits in steps: first the job's claim (``checking``; an import was claimed by its
confirmation), then the work together with the job's end state. For an import that second commit
holds every account and membership: all of them or none. Meanwhile progress is written through a
connection of its own in short transactions, so the job page can follow a transaction still open.
The command line runs the same functions with a progress bar instead.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import update

from ..accounts.models import User
from ..extensions import db
from ..queue import task
from . import operations
from .checking import Progress
from .models import ImportJob, ImportStatus

log = logging.getLogger(__name__)


def run_check(job_id: int, progress: Progress | None = None) -> ImportJob | None:
    """Check a queued job; None if there is no such job or another run took it."""
    job = db.session.get(ImportJob, job_id)
    if job is None or not operations.begin_check(job):
        return None
    db.session.commit()
    try:
        operations.check_job(job, progress or _progress_in_database(job_id))
        db.session.commit()
    except Exception:
        log.exception("checking roster import %s failed", job.public_id)
        db.session.rollback()
        operations.fail_job(job, _("检查文件时出错。请重新上传；如果仍然出错，请联系技术支持。"))
        db.session.commit()
    return job


def run_apply(job_id: int, actor_id: int | None, progress: Progress | None = None) -> ImportJob | None:
    """Import a confirmed job on behalf of ``actor_id`` (None: the command line)."""
    job = db.session.get(ImportJob, job_id)
    if job is None or job.status != ImportStatus.IMPORTING:
        return None
    actor = db.session.get(User, actor_id) if actor_id is not None else None
    try:
        operations.apply_job(job, actor, progress or _progress_in_database(job_id, while_writing=True))
        db.session.commit()
    except Exception:
        log.exception("importing roster %s failed", job.public_id)
        db.session.rollback()
        operations.fail_job(
            job, _("导入时出错，没有写入任何数据。请稍后重试；如果仍然出错，请联系技术支持。")
        )
        db.session.commit()
    return job


@task()
def check_import(job_id: int) -> None:
    run_check(job_id)


@task()
def apply_import(job_id: int, actor_id: int) -> None:
    run_apply(job_id, actor_id)


def _progress_in_database(job_id: int, *, while_writing: bool = False) -> Progress | None:
    """Progress written in short transactions of its own. SQLite (the demo set-up) has one writer
    at a time: while the import holds it, the progress would wait for the import to end, so there
    only the check shows progress."""
    if while_writing and db.engine.dialect.name == "sqlite":
        return None
    table = ImportJob.__table__

    def report(done: int, total: int) -> None:
        with db.engine.begin() as connection:
            connection.execute(
                update(table).where(table.c.id == job_id).values(processed_rows=done, total_rows=total)
            )

    return report
