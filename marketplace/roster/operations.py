"""Roster imports (名册导入): accepting a file, checking it, and writing it all at once.

A job moves queued → checking → invalid | ready → importing → done, or to failed on an unexpected
error. Every move is a conditional UPDATE (``… WHERE status IN (…)``), so a task run twice, or two
admins confirming at once, cannot check or import the same file twice.

Writing takes the bulk path below rather than ``accounts.operations.save_user`` and
``orgs.operations.save_membership``: those look up and audit one row at a time (a query or two and an
audit entry per person, a notification per membership), which for a school's roster means tens of
thousands of statements. Here each chunk of accounts or memberships is one INSERT and one UPDATE,
and the import is audited once, as "roster.import" on the job with its counts; the job keeps the
uploaded file, which is the record of what each person was given. People are not notified one by
one: new accounts are unclaimed (nobody reads their mail yet), and a roster is the school's record,
not news. The admin who confirmed is notified when the import is done.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import insert, update

from .. import audit, clock, storage
from ..accounts.models import AccountKind, AccountStatus, DegreeLevel, User
from ..errors import DomainError
from ..extensions import db
from ..models_base import public_id
from ..notify import operations as notify
from ..orgs.models import MemberRole, Membership
from . import files
from .checking import CHUNK, Appointment, CheckResult, Person, Progress, check_table, error
from .models import ImportJob, ImportStatus


def start_import(actor, data: dict) -> ImportJob:
    """Accept an uploaded roster (``filename``, ``content``, the file's bytes): its content must be
    what its name says (.xlsx or CSV). The file is stored under the key ``job.stored_path``
    (``imports/…``), outside the static folder. The caller commits, then queues the check.
    ``actor`` is None from the command line."""
    filename, data = data["filename"], data["content"]
    file_format = files.file_format(filename, data)
    job = ImportJob(
        public_id=public_id(),
        filename=Path(filename.replace("\\", "/")).name[:255],
        created_by_id=getattr(actor, "id", None),
    )
    job.stored_path = f"imports/{job.public_id}.{file_format}"
    storage.save(job.stored_path, data)
    db.session.add(job)
    db.session.flush()
    return job


def begin_check(job: ImportJob) -> bool:
    """Claim a queued job for checking; False if another run has it already."""
    return _move(job, {ImportStatus.QUEUED}, ImportStatus.CHECKING)


def check_job(job: ImportJob, progress: Progress | None = None) -> None:
    """Check every row of a job being checked. It ends ``invalid`` with its errors, or ``ready``
    with a preview and the counts of what an import would do. Nothing but the job is written."""
    result = _check_file(job, progress)
    outcome = {"total_rows": result.total, "processed_rows": result.total, "summary": result.summary()}
    if result.valid:
        _move(job, {ImportStatus.CHECKING}, ImportStatus.READY, preview=result.preview, errors=[], **outcome)
    else:
        _move(
            job,
            {ImportStatus.CHECKING},
            ImportStatus.INVALID,
            errors=result.kept_errors(),
            finished_at=clock.now(),
            **outcome,
        )


def confirm_import(job: ImportJob) -> None:
    """确认导入: the admin has seen the preview; the import may start. The caller commits, then
    queues the import."""
    if _move(job, {ImportStatus.READY}, ImportStatus.IMPORTING, processed_rows=0):
        return
    if job.status in (ImportStatus.IMPORTING, ImportStatus.DONE):
        raise DomainError(_("这份名册已经确认导入，无需重复操作。"))
    raise DomainError(_("这份名册还没有通过检查，不能导入。"))


def apply_job(job: ImportJob, actor, progress: Progress | None = None) -> None:
    """Import a confirmed job in the caller's transaction: every row or none.

    The file is checked again first, since accounts and memberships may have changed since the
    preview; if it no longer passes, the job goes back to ``invalid`` with the new errors and nothing
    is written. ``progress`` reports the writing.
    """
    result = _check_file(job, None)
    if not result.valid:
        _move(
            job,
            {ImportStatus.IMPORTING},
            ImportStatus.INVALID,
            errors=result.kept_errors(),
            summary={**result.summary(), "rechecked": True},
            finished_at=clock.now(),
        )
        return
    summary = result.summary()
    _write(result, progress)
    done = _move(
        job,
        {ImportStatus.IMPORTING},
        ImportStatus.DONE,
        summary=summary,
        preview=result.preview,
        processed_rows=result.total,
        total_rows=result.total,
        finished_at=clock.now(),
    )
    if not done:
        raise RuntimeError(f"import job {job.public_id} was finished by another run")
    audit.record(actor, "roster.import", job, after={"filename": job.filename, **summary})
    if actor is not None:
        notify.send(actor, "roster.import_done", link=job.url, job=job)


def fail_job(job: ImportJob, message: str) -> None:
    """An unexpected error: the job shows ``message``. Call after rolling back the work."""
    _move(
        job,
        {ImportStatus.CHECKING, ImportStatus.IMPORTING},
        ImportStatus.FAILED,
        summary={"message": message},
        finished_at=clock.now(),
    )


def _move(job: ImportJob, sources: set[ImportStatus], target: ImportStatus, **values) -> bool:
    result = db.session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id, ImportJob.status.in_(sources))
        .values(status=target, **values)
    )
    return result.rowcount == 1


def _check_file(job: ImportJob, progress: Progress | None) -> CheckResult:
    try:
        with storage.local_copy(job.stored_path) as path:
            table = files.read_table(path)
    except files.RosterFileError as problem:
        return CheckResult(
            total=0, errors=[error(None, "", problem.message)], people=[], appointments=[], preview=[]
        )
    return check_table(table, progress)


# -- the bulk path ---------------------------------------------------------------------------------


def _write(result: CheckResult, progress: Progress | None) -> None:
    people = [p for p in result.people if p.action != "same"]
    appointments = [a for a in result.appointments if a.action != "same"]
    steps, done = len(people) + len(appointments), 0
    user_ids = {p.key: p.user_id for p in result.people if p.user_id is not None}
    for chunk in _chunks(people):
        user_ids.update(_write_accounts(chunk))
        done += len(chunk)
        if progress is not None:
            progress(result.total * done // steps, result.total)
    for chunk in _chunks(appointments):
        _write_memberships(chunk, user_ids)
        done += len(chunk)
        if progress is not None:
            progress(result.total * done // steps, result.total)


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _write_accounts(people: list[Person]) -> dict[tuple, int]:
    """Create and update the accounts of ``people``; the ids of those created, by (kind, number)."""
    created = {}
    new = [_new_account(p) for p in people if p.user_id is None]
    if new:
        rows = db.session.execute(
            insert(User).returning(User.id, User.kind, User.student_no, User.staff_no), new
        )
        for user_id, kind, student_no, staff_no in rows:
            created[(kind, student_no if kind == AccountKind.STUDENT else staff_no)] = user_id
    changed = [{"id": p.user_id, **p.changes} for p in people if p.user_id is not None]
    if changed:
        db.session.execute(update(User), changed)
    return created


def _new_account(person: Person) -> dict:
    """An unclaimed account: no password until the student claims it at /claim."""
    student = person.kind == AccountKind.STUDENT
    return {
        **person.values,
        "kind": person.kind,
        "student_no": person.number if student else None,
        "staff_no": None if student else person.number,
        "status": person.values["status"] or AccountStatus.ACTIVE,
        "degree_level": (person.values["degree_level"] or DegreeLevel.UNDERGRADUATE) if student else None,
    }


def _write_memberships(appointments: list[Appointment], user_ids: dict[tuple, int]) -> None:
    new = [
        {
            "user_id": user_ids[a.person.key],
            "org_id": a.org_id,
            "role": a.role or MemberRole.MEMBER,
            "title": a.title or "",
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
        }
        for a in appointments
        if a.membership_id is None
    ]
    if new:
        db.session.execute(insert(Membership), new)
    changed = [{"id": a.membership_id, **a.changes} for a in appointments if a.membership_id is not None]
    if changed:
        db.session.execute(update(Membership), changed)
