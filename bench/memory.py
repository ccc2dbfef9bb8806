"""The memory step: the peak resident memory of a worker process running the long background jobs.

A term's verified credits exported to xlsx and to CSV, and a 30,000-row roster checked, confirmed and
written, each by a process of its own that runs the very task a Huey worker runs
(``run_export``, ``check_import`` then ``apply_import``), under ``/usr/bin/time -v``; the peak is its
"Maximum resident set size". A process that only builds the app gives the baseline every worker pays.
The bound is :data:`LIMIT_MB` for each job, the baseline included.

At SCALE=1 the seed puts a million credit records over four terms; the step exports the term with the
most verified ones and, should it have fewer than :data:`TERM_RECORDS`, verifies more of that term's
confirmed records first. At a smaller scale it exports what the busiest term has, and says so.
The roster's 30,000 people are new accounts (a third of them with a membership), removed again
afterwards so that the database stays as seeded.
"""

from __future__ import annotations

import io
import re
import secrets
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import click
from sqlalchemy import delete, func, select, text, update

TERM_RECORDS = 250_000
ROSTER_ROWS = 30_000
LIMIT_MB = 200
TIME = "/usr/bin/time"
PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)")
# The demo logins that queue the jobs (see pages.LOGINS): the league reviewer exports, the admin imports.
EXPORTER, IMPORTER = "T0001", "A0001"


@dataclass(frozen=True)
class Peak:
    job: str
    rows: int
    peak_mb: float
    seconds: float

    @property
    def within(self) -> bool:
        return self.peak_mb <= LIMIT_MB


def measure() -> tuple[list[Peak], str]:
    """Run every job in a process of its own (in an app context of the bench app); returns the peaks
    and a sentence on the data they ran on."""
    term_id, records, note = _term_to_export()
    peaks = [_timed("baseline (app only)", 0, ["baseline"])]
    for file_format in ("xlsx", "csv"):
        job_id = _queue_export(term_id, file_format)
        peaks.append(_timed(f"credit export, {file_format}", records, ["export", str(job_id)]))
        _remove_export(job_id)
    prefix = f"M{secrets.token_hex(3).upper()}"
    job_id, admin_id = _queue_roster(prefix)
    try:
        peaks.append(_timed("roster import, xlsx", ROSTER_ROWS, ["roster", str(job_id), str(admin_id)]))
    finally:
        _remove_roster(prefix)
    return peaks, note


def _timed(job: str, rows: int, arguments: list[str]) -> Peak:
    command = [TIME, "-v", sys.executable, "-m", "bench.memory", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if done.returncode != 0:
        raise RuntimeError(f"{job} failed:\n{done.stderr[-3000:]}")
    peak, wall = PEAK.search(done.stderr), WALL.search(done.stderr)
    hours, minutes, seconds = wall.groups()
    measured = Peak(
        job=job,
        rows=rows,
        peak_mb=round(int(peak.group(1)) / 1024, 1),
        seconds=round(int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds), 1),
    )
    click.echo(f"  {job:<24} {rows:>9,} rows {measured.peak_mb:7.1f} MB {measured.seconds:7.1f} s", err=True)
    return measured


# -- the credit export -----------------------------------------------------------------------------


def _term_to_export() -> tuple[int, int, str]:
    from marketplace.credits.models import CreditRecord, CreditStatus
    from marketplace.extensions import db

    verified = func.count().filter(CreditRecord.status == CreditStatus.VERIFIED)
    term_id, total, records = db.session.execute(
        select(CreditRecord.term_id, func.count(), verified)
        .group_by(CreditRecord.term_id)
        .order_by(func.count().desc())
        .limit(1)
    ).one()
    if total < TERM_RECORDS:
        return term_id, records, f"the busiest term has {total:,} credit records ({records:,} verified)"
    if records < TERM_RECORDS:
        _verify_more(term_id, TERM_RECORDS - records)
        records = TERM_RECORDS
    return term_id, records, f"the busiest term has {total:,} credit records, {records:,} of them verified"


def _verify_more(term_id: int, wanted: int) -> None:
    """Verify ``wanted`` more confirmed records of the term, as the league reviewer would."""
    from marketplace import clock
    from marketplace.accounts.models import User
    from marketplace.credits.models import CreditRecord, CreditStatus
    from marketplace.extensions import db

    league = db.session.scalar(select(User.id).where(User.staff_no == EXPORTER))
    chosen = (
        select(CreditRecord.id)
        .where(CreditRecord.term_id == term_id, CreditRecord.status == CreditStatus.CONFIRMED)
        .limit(wanted)
    )
    db.session.execute(
        update(CreditRecord)
        .where(CreditRecord.id.in_(chosen))
        .values(status=CreditStatus.VERIFIED, verified_by_id=league, verified_at=clock.now())
    )
    db.session.commit()


def _queue_export(term_id: int, file_format: str) -> int:
    """What the export page does: the job, queued by the league reviewer (the task runs elsewhere)."""
    from marketplace.accounts.models import User
    from marketplace.credits.export import request_export
    from marketplace.extensions import db

    exporter = db.session.scalar(select(User).where(User.staff_no == EXPORTER))
    job = request_export(exporter, {"term_id": term_id, "file_format": file_format})
    db.session.commit()
    return job.id


def _remove_export(job_id: int) -> None:
    from marketplace import storage
    from marketplace.credits.models import CreditExport
    from marketplace.exports import ExportStatus
    from marketplace.extensions import db

    db.session.expire_all()
    job = db.session.get(CreditExport, job_id)
    if job.status != ExportStatus.DONE:
        raise RuntimeError(f"the export ended {job.status}: {job.error}")
    storage.delete(job.key)


# -- the roster import ------------------------------------------------------------------------------


def roster_file(prefix: str, rows: int, colleges: list[str], orgs: list[str]) -> bytes:
    """A roster of ``rows`` new students numbered ``prefix``…, every third one joining an organization."""
    from openpyxl import Workbook

    from marketplace.roster import files

    book = Workbook(write_only=True)
    sheet = book.create_sheet("名册")
    sheet.append(files.COLUMNS)
    for n in range(rows):
        row = {
            files.KIND: "学生",
            files.NUMBER: f"{prefix}{n:06d}",
            files.NAME: f"测试{n}",
            files.COLLEGE: colleges[n % len(colleges)],
            files.GRADE: 2026,
            files.DEGREE: "本科",
            files.PHONE: f"139{n:08d}",
            files.POLITICAL: "共青团员",
            files.STATUS: "正常",
        }
        if n % 3 == 0:
            row |= {
                files.ORG: orgs[n % len(orgs)],
                files.ROLE: "成员",
                files.TITLE: "干事",
                files.STARTS: date(2026, 9, 1).isoformat(),
            }
        sheet.append([row.get(column, "") for column in files.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _queue_roster(prefix: str) -> tuple[int, int]:
    """What the upload page does: the file stored and the job recorded, by the admin."""
    from marketplace.accounts.models import User
    from marketplace.extensions import db
    from marketplace.orgs.models import College, Organization
    from marketplace.roster.operations import start_import

    admin = db.session.scalar(select(User).where(User.staff_no == IMPORTER))
    colleges = list(db.session.scalars(select(College.name).order_by(College.id)))
    orgs = list(db.session.scalars(select(Organization.name).where(Organization.is_active).limit(50)))
    content = roster_file(prefix, ROSTER_ROWS, colleges, orgs)
    job = start_import(admin, {"filename": "名册.xlsx", "content": content})
    db.session.commit()
    return job.id, admin.id


def _remove_roster(prefix: str) -> None:
    from marketplace.accounts.models import User
    from marketplace.extensions import db
    from marketplace.orgs.models import Membership

    people = select(User.id).where(User.student_no.startswith(prefix))
    db.session.execute(delete(Membership).where(Membership.user_id.in_(people)))
    # Nothing else refers to accounts made a minute ago, but checking that row by row would scan the
    # million-row tables whose columns naming an account are not indexed (verified_by_id, marked_by_id…)
    # once for each of the 30,000: the checks are skipped for this transaction (the bench is superuser).
    db.session.execute(text("SET LOCAL session_replication_role = replica"))
    db.session.execute(delete(User).where(User.id.in_(people)).execution_options(synchronize_session=False))
    db.session.commit()


# -- the measured processes (python -m bench.memory …) ----------------------------------------------


@click.group()
def worker() -> None:
    """The jobs as a worker runs them: each task called in this process, not queued."""


@worker.command()
def baseline() -> None:
    from marketplace import create_app

    with create_app().app_context():
        pass


@worker.command()
@click.argument("job_id", type=int)
def export(job_id: int) -> None:
    from marketplace.credits.export import run_export

    run_export.call_local(job_id)


@worker.command()
@click.argument("job_id", type=int)
@click.argument("admin_id", type=int)
def roster(job_id: int, admin_id: int) -> None:
    """Check, confirm (what the admin's button does) and write, as the two tasks do."""
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.roster import operations, tasks
    from marketplace.roster.models import ImportJob, ImportStatus

    app = create_app()  # the app the tasks run in, as the consumer binds it
    tasks.check_import.call_local(job_id)
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        if job.status != ImportStatus.READY:
            raise SystemExit(f"the roster was not ready: {job.status} {job.errors[:3]}")
        operations.confirm_import(job)
        db.session.commit()
    tasks.apply_import.call_local(job_id, admin_id)
    with app.app_context():
        status = db.session.get(ImportJob, job_id).status
        if status != ImportStatus.DONE:
            raise SystemExit(f"the roster import ended {status}")


def as_dicts(peaks: list[Peak]) -> list[dict]:
    return [{**asdict(p), "within_limit": p.within} for p in peaks]


if __name__ == "__main__":
    worker()
