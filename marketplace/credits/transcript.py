"""The student's transcript (第二课堂成绩单): grouped by term and category, exported as PDF and Excel
with a verification code that /verify/<code> checks without revealing private details."""

from __future__ import annotations

import hashlib
import io
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import Row, select
from sqlalchemy.orm import joinedload

from .. import clock, settings, spreadsheets
from ..extensions import db
from ..school.models import Term
from ..timeutil import SCHOOL_TZ
from . import requirements
from .models import CreditRecord, CreditStatus, DocumentIssue, DocumentKind

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed by hand
XLSX_COLUMNS = spreadsheets.columns(
    "学期", "类别", ("项目", "long"), ("日期", "date"), ("学时", "number"), ("学分", "number"), "状态"
)


@dataclass
class Group:
    term: str
    category: str
    records: list[CreditRecord] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((r.hours for r in self.records if r.status == CreditStatus.VERIFIED), Decimal(0))

    @property
    def credits(self) -> Decimal:
        return sum((r.credits for r in self.records if r.status == CreditStatus.VERIFIED), Decimal(0))


def records_of(user) -> list[CreditRecord]:
    """All the student's records with their category, term and project (one query)."""
    return db.session.scalars(
        select(CreditRecord)
        .where(CreditRecord.user_id == user.id)
        .options(
            joinedload(CreditRecord.category),
            joinedload(CreditRecord.term).joinedload(Term.year),
            joinedload(CreditRecord.project),
            joinedload(CreditRecord.position),  # the formal transcript's rows name it
        )
        .order_by(CreditRecord.occurred_at)
    ).all()


def grouped(records: list[CreditRecord]) -> list[Group]:
    groups: dict[tuple[str, str], Group] = {}
    for record in records:
        term = record.term.full_name if record.term else "—"
        key = (term, record.category.name)
        groups.setdefault(key, Group(term, record.category.name)).records.append(record)
    return list(groups.values())


def totals_by_category(records: list[CreditRecord]) -> dict[str, dict[str, str]]:
    hours: dict[str, Decimal] = defaultdict(Decimal)
    credits: dict[str, Decimal] = defaultdict(Decimal)
    for record in records:
        if record.status == CreditStatus.VERIFIED:
            hours[record.category.name] += record.hours
            credits[record.category.name] += record.credits
    return {name: {"hours": str(hours[name]), "credits": str(credits[name])} for name in sorted(hours)}


def digest(records) -> str:
    """A fingerprint of the verified records: any change to them changes it. ``records``: credit
    records, or rows holding the columns it reads (:func:`_fingerprinted`)."""
    lines = sorted(
        f"{r.public_id}|{r.hours}|{r.credits}|{r.category_id}|{r.term_id}"
        for r in records
        if r.status == CreditStatus.VERIFIED
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def new_code() -> str:
    return normalize_code("".join(secrets.choice(CODE_ALPHABET) for _ in range(16)))


def normalize_code(typed: str) -> str:
    """A code as typed by hand (lower case, spaces, with or without dashes) in its printed form."""
    raw = "".join(char for char in (typed or "").upper() if char in CODE_ALPHABET)
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def snapshot_of(user, records: list[CreditRecord], school: str, office: str) -> dict:
    """What a transcript prints beyond its rows, as it prints it: kept with the issue, so the public
    check shows the document as it was even after the records, the requirement or the office change."""
    shown = [r for r in records if r.status == CreditStatus.VERIFIED]
    progress = requirements.progress(user, records, requirements.requirement_for(user))
    return {
        "masked_name": mask_name(user.name),
        "school": school,
        "office": office,
        "first_on": _local(min(r.occurred_at for r in shown)) if shown else None,
        "last_on": _local(max(r.occurred_at for r in shown)) if shown else None,
        "hours": str(sum((r.hours for r in shown), Decimal(0))),
        "credits": str(sum((r.credits for r in shown), Decimal(0))),
        "pending": sum(1 for r in records if r.status == CreditStatus.CONFIRMED),
        "requirement": progress.snapshot() if progress else None,
    }


def issue(user) -> tuple[DocumentIssue, list[CreditRecord]]:
    """Issue a transcript now: a fresh code bound to the verified records it shows, and a snapshot of
    what it says."""
    records = records_of(user)
    issued = DocumentIssue(
        code=new_code(),
        kind=DocumentKind.TRANSCRIPT,
        user_id=user.id,
        issued_at=clock.now(),
        digest=digest(records),
        totals=totals_by_category(records),
        snapshot=snapshot_of(
            user, records, current_app.config["SCHOOL_NAME"], settings.get("issuing_office")
        ),
    )
    db.session.add(issued)
    db.session.flush()
    return issued, records


def mask_name(name: str) -> str:
    """张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass
class Verification:
    """What /verify/<code> shows of an issued document: its stored snapshot, never 学号 or college."""

    genuine: bool
    kind: DocumentKind | None = None
    masked_name: str = ""
    issued_at: object = None
    totals: dict = field(default_factory=dict)
    snapshot: dict = field(default_factory=dict)
    project: str = ""
    host: str = ""
    changed_since: bool = False


def _fingerprinted(issued: DocumentIssue) -> list[Row]:
    """What :func:`digest` reads of the verified records a document of this kind shows today (the
    student's; of the project for a certificate): columns, not the records with their category, term
    and project — a page anyone with the code may open reads no more than it compares."""
    stmt = select(
        CreditRecord.public_id,
        CreditRecord.hours,
        CreditRecord.credits,
        CreditRecord.category_id,
        CreditRecord.term_id,
        CreditRecord.status,
    ).where(CreditRecord.user_id == issued.user_id, CreditRecord.status == CreditStatus.VERIFIED)
    if issued.kind == DocumentKind.CERTIFICATE:
        stmt = stmt.where(CreditRecord.project_id == issued.project_id)
    return db.session.execute(stmt).all()


def verify(code: str) -> Verification:
    issued = db.session.scalar(
        select(DocumentIssue)
        .where(DocumentIssue.code == normalize_code(code))
        .options(joinedload(DocumentIssue.user), joinedload(DocumentIssue.project))
    )
    if issued is None:
        return Verification(genuine=False)
    snapshot = issued.snapshot or {}
    project = issued.project
    return Verification(
        genuine=True,
        kind=issued.kind,
        # Issues older than snapshots stored no masked name: masked now, as the page always did.
        masked_name=snapshot.get("masked_name") or mask_name(issued.user.name),
        issued_at=issued.issued_at,
        totals=issued.totals,
        snapshot=snapshot,
        # A certificate prints its project and host: the snapshot's words, else today's.
        project=snapshot.get("project") or (project.title if project else ""),
        host=snapshot.get("host") or (project.host_org.name if project and project.host_org else ""),
        changed_since=digest(_fingerprinted(issued)) != issued.digest,
    )


# -- files ---------------------------------------------------------------------------------------------


def _local(moment) -> str:
    return moment.astimezone(SCHOOL_TZ).strftime("%Y-%m-%d")


def render_xlsx(user, issued: DocumentIssue, records: list[CreditRecord], school: str) -> bytes:
    """The transcript as a workbook, in Chinese whatever the reader's language: the file is handed to
    offices that read it as the school's."""
    book = Workbook()
    above = [
        [f"{school} 第二课堂成绩单"],
        ["姓名", user.name, "学号", user.identifier, "验证码", issued.code],
        [],
    ]
    append = spreadsheets.table(book, "第二课堂成绩单", XLSX_COLUMNS, above=above, first=True)
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # the status labels
        for r in records:
            term = r.term.full_name if r.term else ""
            label = str(r.status.label)
            append([term, r.category.name, r.project.title, r.occurred_at, r.hours, r.credits, label])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
