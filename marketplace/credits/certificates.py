"""志愿服务证明: one certificate per (student, project) over that project's verified records, issued once
and reused until those records change, so that downloading it twice does not mint a second code; and
a project's certificates as one ZIP, written in the background (``exports.run``) for the posting
union's staff and the verifying role."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, clock, exports, permissions, settings
from ..accounts.models import User
from ..errors import DomainError
from ..extensions import db
from ..queue import task
from ..timeutil import SCHOOL_TZ
from ..urls import path_for
from ..volunteers.models import Shift
from . import documents, transcript
from .models import CertificateExport, CreditRecord, CreditStatus, DocumentIssue, DocumentKind


def _day(moment) -> str:
    return moment.astimezone(SCHOOL_TZ).strftime("%Y-%m-%d")


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


@dataclass
class Offer:
    """A project on the transcript page's list of certificates: its verified and pending hours."""

    project: object
    verified: Decimal = Decimal(0)
    pending: int = 0


def offers(records: list[CreditRecord]) -> list[Offer]:
    """One line per project the student has records of, in the order they served (no query: the
    records come with their projects)."""
    by_project: dict[int, Offer] = {}
    for record in sorted(records, key=lambda r: (r.occurred_at, r.id)):
        offer = by_project.setdefault(record.project_id, Offer(record.project))
        if record.status == CreditStatus.VERIFIED:
            offer.verified += record.hours
        elif record.status == CreditStatus.CONFIRMED:
            offer.pending += 1
    return [o for o in by_project.values() if o.verified or o.pending]


def _places(records: list[CreditRecord]) -> list[str]:
    """Where the verified shifts took place (a record granted on appeal without a shift has none)."""
    ids = {r.shift_id for r in records if r.status == CreditStatus.VERIFIED and r.shift_id}
    if not ids:
        return []
    rows = db.session.execute(select(Shift.place, Shift.starts_at).where(Shift.id.in_(ids)))
    return _distinct(place.strip() for place, _start in sorted(rows, key=lambda row: row[1]))


def snapshot_of(user, project, records: list[CreditRecord], school: str, office: str) -> dict:
    """What a certificate prints, as it prints it: the public check shows it even after the project,
    its positions or the records change."""
    shown = sorted((r for r in records if r.status == CreditStatus.VERIFIED), key=lambda r: r.occurred_at)
    positions = _distinct(r.position.title for r in shown if r.position)
    return {
        "masked_name": transcript.mask_name(user.name),
        "school": school,
        "office": office,
        "project": project.title,
        "host": project.host_org.name if project.host_org else "",
        "union": project.union.name,
        "positions": positions,
        "content": _distinct(r.position.description.strip() for r in shown if r.position),
        "places": _places(records),
        "first_on": _day(shown[0].occurred_at),
        "last_on": _day(shown[-1].occurred_at),
        "dates": _distinct(_day(r.occurred_at) for r in shown),
        "hours": str(sum((r.hours for r in shown), Decimal(0))),
        "credits": str(sum((r.credits for r in shown), Decimal(0))),
        "verifying_offices": _distinct(r.verifying_office for r in shown),
        "pending": sum(1 for r in records if r.status == CreditStatus.CONFIRMED),
    }


def issue(user, project) -> DocumentIssue:
    """The student's certificate of ``project``: the issue already made over the same verified records
    (and the same number pending), else a new one with a fresh code. Refused while none is verified."""
    permissions.require(user, "credit.certificate", user)
    records = [r for r in transcript.records_of(user) if r.project_id == project.id]
    if not any(r.status == CreditStatus.VERIFIED for r in records):
        raise DomainError(_("你在这个项目中还没有已认定的服务时长，暂时不能出具志愿服务证明。"))
    return _issue_for(user, project, records)


def _issue_for(user, project, records: list[CreditRecord]) -> DocumentIssue:
    # Two downloads at once (a double tap, two tabs) must find one issue, not make two codes: the
    # student's row is the lock, held until the request commits.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    digest = transcript.digest(records)
    pending = sum(1 for r in records if r.status == CreditStatus.CONFIRMED)
    earlier = db.session.scalars(
        select(DocumentIssue)
        .where(
            DocumentIssue.kind == DocumentKind.CERTIFICATE,
            DocumentIssue.user_id == user.id,
            DocumentIssue.project_id == project.id,
            DocumentIssue.digest == digest,
        )
        .order_by(DocumentIssue.id.desc())
    ).all()
    for issued in earlier:
        if (issued.snapshot or {}).get("pending") == pending:
            return issued
    issued = DocumentIssue(
        code=transcript.new_code(),
        kind=DocumentKind.CERTIFICATE,
        user_id=user.id,
        project_id=project.id,
        issued_at=clock.now(),
        digest=digest,
        totals=transcript.totals_by_category(records),
        snapshot=snapshot_of(
            user, project, records, current_app.config["SCHOOL_NAME"], settings.get("issuing_office")
        ),
    )
    db.session.add(issued)
    db.session.flush()
    return issued


# -- a project's certificates as one ZIP ---------------------------------------------------------------


def _verified_students(project):
    return (
        select(CreditRecord.user_id)
        .where(CreditRecord.project_id == project.id, CreditRecord.status == CreditStatus.VERIFIED)
        .distinct()
    )


def request_export(actor, project) -> CertificateExport:
    """Queue the ZIP of ``project``'s certificates; refused while no record of it is verified."""
    permissions.require(actor, "credit.export_certificates", project)
    if db.session.scalar(_verified_students(project).limit(1)) is None:
        raise DomainError(_("这个项目还没有已认定的服务记录，暂时没有可以出具的志愿服务证明。"))
    job = CertificateExport(project_id=project.id, requested_by_id=actor.id, created_at=clock.now())
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "credit.export_certificates", job, after={"project_id": project.id})
    return job


def write_zip(job: CertificateExport, out, progress) -> int:
    """One ``<学号>.pdf`` per student with verified records of the project, each the certificate they
    would download themselves (the same issue and code); returns how many were written."""
    students = db.session.scalars(
        select(User).where(User.id.in_(_verified_students(job.project))).order_by(User.student_no, User.id)
    ).all()
    base = current_app.config["BASE_URL"].rstrip("/")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, student in enumerate(students, 1):
            records = [r for r in transcript.records_of(student) if r.project_id == job.project_id]
            issued = _issue_for(student, job.project, records)
            verify_url = base + path_for("credits.verify_code", code=issued.code)
            pdf = documents.render_certificate(student, issued, verify_url)
            archive.writestr(f"{student.identifier}.pdf", pdf)
            progress(done, len(students))
    return len(students)


@task()
def run_export(job_id: int) -> None:
    """Write the ZIP in the background; the page polls its progress."""
    exports.run(CertificateExport, job_id, write_zip)
    db.session.commit()
