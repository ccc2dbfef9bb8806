"""The audit log as CSV (操作日志导出): the entries the page would list under the same filters, read
with the same access (``queries.visible_audit_entries``) and masking (``queries.audit_rows``) as the
page, for the one who asks. Up to ``DIRECT_LIMIT`` entries the file is written at once; beyond, a
background task writes it with its progress (``exports.run``, as the credits export does) and only
its requester may download it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit, clock, exports, permissions, spreadsheets
from ..accounts.models import User
from ..extensions import db
from ..formatting import local_datetime
from ..notify import operations as notify
from ..queue import task
from . import queries
from .models import AuditExport

DIRECT_LIMIT = 2000

HEADERS = [
    _l("时间"),
    _l("操作人"),
    _l("学号 / 工号"),
    _l("操作"),
    _l("对象"),
    _l("项目"),
    _l("变更"),
    _l("理由"),
]


def _stored(filters: dict) -> dict:
    """The filter values as JSON keeps them (a job's row, an audit entry)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in filters.items()}


def _restored(filters: dict) -> dict:
    return {k: date.fromisoformat(v) if k in ("since", "until") and v else v for k, v in filters.items()}


def _entries(reader, filters: dict):
    return queries.filter_audit(queries.visible_audit_entries(reader), **filters)


def _changes(row) -> str:
    said = []
    for change in row.changes:
        if change.concealed:
            said.append(_("%(field)s：已修改（个人信息，不显示内容）", field=change.field))
        elif row.edit:
            said.append(f"{change.field}：{change.before} → {change.after}")
        else:
            said.append(f"{change.field}：{change.after}")
    return "\n".join(said)


def _reason(row) -> str:
    if row.reason:
        return row.reason
    return _("已填写（个人信息，不显示内容）") if row.reason_given else ""


def _line(row) -> list[str]:
    return [spreadsheets.csv_text(value) for value in _values(row)]


def _values(row) -> list[str]:
    e = row.entry
    return [
        local_datetime(e.at, "yyyy-MM-dd HH:mm:ss"),
        e.actor.name if e.actor else _("系统"),
        e.actor.identifier if e.actor else "",
        str(row.label.name),
        str(row.label.sentence) % {"subject": row.subject},
        f"#{row.project[0]} 《{row.project[1]}》" if row.project else "",
        _changes(row),
        _reason(row),
    ]


def write_csv(reader, filters: dict, out, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the entries ``reader`` may read under ``filters`` to ``out`` (binary), newest first, as
    the page shows them — with the raw entry for those who may read it; returns the row count."""
    raw = permissions.can(reader, "audit.read_raw")
    stmt = _entries(reader, filters)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([str(h) for h in HEADERS] + ([_("原始记录")] if raw else []))
    written = 0
    for batch in db.session.scalars(stmt.execution_options(yield_per=exports.CHUNK)).partitions():
        for row in queries.audit_rows(list(batch), reader):
            writer.writerow(_line(row) + ([row.raw] if raw else []))
        written += len(batch)
        if progress:
            progress(written, total)
    text.flush()
    text.detach()
    return written


def _project_of(filters: dict) -> int | None:
    project = (filters.get("project") or "").strip().lstrip("#")
    return int(project) if project.isdigit() and len(project) <= 9 else None


def request_export(actor, filters: dict) -> bytes | AuditExport:
    """导出操作日志 under ``filters``: the CSV itself when it is short, else a queued job (the caller
    starts ``run_audit_export`` once the job is committed)."""
    permissions.require(actor, "audit.read")
    stmt = _entries(actor, filters).order_by(None).limit(DIRECT_LIMIT + 1)
    count = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    stored = _stored(filters)
    if count <= DIRECT_LIMIT:
        out = io.BytesIO()
        rows = write_csv(actor, filters, out)
        audit.record(
            actor,
            "audit.export",
            ("audit_export", "csv"),
            after={"filters": stored, "rows": rows},
            project_id=_project_of(filters),
        )
        return out.getvalue()
    job = AuditExport(filters=stored, requested_by_id=actor.id, created_at=clock.now())
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "audit.export", job, after={"filters": stored}, project_id=_project_of(filters))
    return job


def _write_for_requester(job: AuditExport, out, progress) -> int:
    reader = db.session.get(User, job.requested_by_id)
    # Read with the access the requester has now: one who lost it since asking gets a failed job.
    permissions.require(reader, "audit.read")
    return write_csv(reader, _restored(job.filters), out, progress)


@task()
def run_audit_export(job_id: int) -> None:
    job = exports.run(AuditExport, job_id, _write_for_requester)
    notify.send(job.requested_by, "audit.export_ready", link=job.url, job=job)
    db.session.commit()


def job_of(reader, public_id: str) -> AuditExport | None:
    """The reader's own export job (nobody else's: the file holds what its requester may read)."""
    permissions.require(reader, "audit.read")
    return db.session.scalar(
        select(AuditExport).where(
            AuditExport.public_id == public_id, AuditExport.requested_by_id == reader.id
        )
    )
