"""Staff export of a term's verified credits, shaped for the school's second-classroom system.

The columns and their headers come from the setting ``credit_export_columns`` (lines of
``表头=字段``), because every school's system imports a different layout. Large schools export
tens of thousands of rows, so the file is written by a background task that reports progress.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import audit, clock, exports, permissions, settings, spreadsheets
from ..accounts.models import User
from ..extensions import db
from ..notify import operations as notify
from ..queue import task
from ..school.models import Term
from ..spreadsheets import Column
from ..timeutil import local
from .models import CreditExport, CreditRecord, CreditStatus

CHUNK = exports.CHUNK

# field name -> how to read it from a record, and its kind of cell in the workbook (spreadsheets.py)
FIELDS: dict[str, tuple[Callable[[CreditRecord], object], str]] = {
    "student_no": (lambda r: r.user.student_no or r.user.staff_no, "id"),
    "name": (lambda r: r.user.name, "text"),
    "college": (lambda r: r.user.college.name if r.user.college else "", "text"),
    "grade": (lambda r: r.user.grade, "number"),
    "project": (lambda r: r.project.title, "long"),
    "category": (lambda r: r.category.name, "text"),
    "category_code": (lambda r: r.category.code, "id"),
    "hours": (lambda r: r.hours, "number"),
    "credits": (lambda r: r.credits, "number"),
    "term": (lambda r: r.term.full_name if r.term else "", "text"),
    "date": (lambda r: r.occurred_at, "date"),
    "verified_at": (lambda r: r.verified_at, "datetime"),
    "record_id": (lambda r: r.public_id, "id"),
}


def _csv_text(value, kind: str) -> str:
    """A CSV cell: dates in ISO form (the day in the school's time zone), numbers as written."""
    if value is None:
        return ""
    if kind == "date":
        return local(value).date().isoformat()
    if kind == "datetime":
        return local(value).isoformat()
    return spreadsheets.csv_text(value) if kind in ("text", "long") else str(value)


def columns() -> list[tuple[str, str]]:
    """[(header, field)] from the setting; unknown fields are skipped (the settings page warns)."""
    pairs = []
    for line in settings.get("credit_export_columns").splitlines():
        header, _sep, name = line.partition("=")
        if name.strip() in FIELDS and header.strip():
            pairs.append((header.strip(), name.strip()))
    return pairs


def _query(term_id: int):
    return (
        select(CreditRecord)
        .where(CreditRecord.term_id == term_id, CreditRecord.status == CreditStatus.VERIFIED)
        .options(
            joinedload(CreditRecord.user).joinedload(User.college),
            joinedload(CreditRecord.project),
            joinedload(CreditRecord.category),
            joinedload(CreditRecord.term).joinedload(Term.year),
        )
        .order_by(CreditRecord.id)
    )


def write_export(
    term_id: int, file_format: str, out, progress: Callable[[int, int], None] | None = None
) -> int:
    """Write the verified credits of a term to ``out`` (a binary file); returns the row count."""
    cols = columns()
    total = db.session.scalar(
        select(func.count()).where(
            CreditRecord.term_id == term_id, CreditRecord.status == CreditStatus.VERIFIED
        )
    )
    kinds = [FIELDS[name][1] for _header, name in cols]
    written = 0
    if file_format == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow([header for header, _name in cols])

        def emit(values):
            writer.writerow([_csv_text(v, kind) for v, kind in zip(values, kinds, strict=True)])

    else:
        book = Workbook(write_only=True)
        table = [Column(header, kind) for (header, _name), kind in zip(cols, kinds, strict=True)]
        emit = spreadsheets.table(book, "第二课堂学分", table)
    for record in db.session.scalars(_query(term_id).execution_options(yield_per=CHUNK)):
        emit([FIELDS[name][0](record) for _header, name in cols])
        written += 1
        if progress and written % CHUNK == 0:
            progress(written, total)
    if file_format == "csv":
        text.flush()
        text.detach()
    else:
        book.save(out)
    if progress:
        progress(written, total)
    return written


def request_export(actor, data: dict) -> CreditExport:
    """Queue an export of ``data["term_id"]``'s verified credits as ``data["file_format"]``."""
    permissions.require(actor, "credit.handle")
    term, file_format = db.session.get(Term, data["term_id"]), data["file_format"]
    job = CreditExport(
        term_id=term.id, file_format=file_format, requested_by_id=actor.id, created_at=clock.now()
    )
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "credit.export", job, after={"term": term.id, "format": file_format})
    return job


@task()
def run_export(job_id: int) -> None:
    """Write the file in the background (``exports.run``) and tell whoever asked for it."""

    def write(job, out, progress) -> int:
        return write_export(job.term_id, job.file_format, out, progress)

    job = exports.run(CreditExport, job_id, write)
    if job.requested_by is not None:
        notify.send(job.requested_by, "credit.export_ready", link=job.url, job=job)
    db.session.commit()
