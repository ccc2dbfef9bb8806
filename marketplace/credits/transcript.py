"""The student's transcript (第二课堂成绩单): grouped by term and category, exported as PDF and Excel
with a verification code that /verify/<code> checks without revealing private details."""

from __future__ import annotations

import hashlib
import io
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock, spreadsheets
from ..extensions import db
from ..school.models import Term
from ..timeutil import SCHOOL_TZ
from .models import CreditRecord, CreditStatus, TranscriptIssue

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed by hand
FONT_NAME = "TranscriptCJK"
DEFAULT_FONT = Path(__file__).resolve().parent.parent / "fonts" / "wqy-microhei.ttc"
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


def digest(records: list[CreditRecord]) -> str:
    """A fingerprint of the verified records: any change to them changes it."""
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


def issue(user) -> tuple[TranscriptIssue, list[CreditRecord]]:
    """Issue a transcript now: a fresh code bound to what the verified records are."""
    records = records_of(user)
    issued = TranscriptIssue(
        code=new_code(),
        user_id=user.id,
        issued_at=clock.now(),
        digest=digest(records),
        totals=totals_by_category(records),
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
    genuine: bool
    masked_name: str = ""
    issued_at: object = None
    totals: dict = field(default_factory=dict)
    changed_since: bool = False


def verify(code: str) -> Verification:
    issued = db.session.scalar(select(TranscriptIssue).where(TranscriptIssue.code == normalize_code(code)))
    if issued is None:
        return Verification(genuine=False)
    current = digest(records_of(issued.user))
    return Verification(
        genuine=True,
        masked_name=mask_name(issued.user.name),
        issued_at=issued.issued_at,
        totals=issued.totals,
        changed_since=current != issued.digest,
    )


# -- files ---------------------------------------------------------------------------------------------


def _font_path() -> str:
    return current_app.config.get("PDF_FONT_PATH") or str(DEFAULT_FONT)


def _register_font() -> None:
    # reportlab is slow to import (0.1 s): loaded when a PDF is made, not by every process
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        path = _font_path()
        # A TrueType collection needs its face index; TTFont embeds a subset of the glyphs used.
        font = TTFont(FONT_NAME, path, subfontIndex=0) if path.endswith(".ttc") else TTFont(FONT_NAME, path)
        pdfmetrics.registerFont(font)


def _local(moment) -> str:
    return moment.astimezone(SCHOOL_TZ).strftime("%Y-%m-%d")


def render_pdf(
    user, issued: TranscriptIssue, records: list[CreditRecord], verify_url: str, school: str
) -> bytes:
    """The transcript as PDF: Chinese text in an embedded TrueType font (no unembedded Helvetica: the
    canvas starts in our font), a verification code and a QR code to the public check."""
    # reportlab and qrcode are slow to import: loaded when a PDF is made, not by every process
    import qrcode
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    _register_font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=FONT_NAME, initialFontSize=10)
    pdf.setTitle(_("%(school)s 第二课堂成绩单 %(name)s", school=school, name=user.name))
    width, height = A4
    y = height - 25 * mm

    def line(text: str, size: int = 10, step: float = 6.5 * mm) -> None:
        nonlocal y
        if y < 55 * mm:
            pdf.showPage()
            y = height - 25 * mm
        pdf.setFont(FONT_NAME, size)
        pdf.drawString(20 * mm, y, text)
        y -= step

    college = user.college.name if user.college else "—"
    line(_("%(school)s 第二课堂成绩单", school=school), size=16, step=10 * mm)
    line(_("姓名：%(n)s    学号：%(i)s    学院：%(c)s", n=user.name, i=user.identifier, c=college))
    line(_("出具日期：%(d)s    验证码：%(c)s", d=_local(issued.issued_at), c=issued.code), step=9 * mm)
    for group in grouped(records):
        heading = _(
            "%(t)s · %(c)s（认定 %(h)s 学时，%(k)s 学分）",
            t=group.term,
            c=group.category,
            h=group.hours,
            k=group.credits,
        )
        line(heading, size=11)
        for r in group.records:
            entry = _(
                "%(d)s  %(p)s  %(h)s 学时  %(k)s 学分  %(s)s",
                d=_local(r.occurred_at),
                p=r.project.title[:28],
                h=r.hours,
                k=r.credits,
                s=r.status.label,
            )
            line("    " + entry)
        y -= 2 * mm
    line(_("分类合计（仅含已认定记录）："), size=11)
    for name, total in issued.totals.items():
        line("    " + _("%(n)s：%(h)s 学时，%(k)s 学分", n=name, h=total["hours"], k=total["credits"]))
    qr = qrcode.make(verify_url)
    image = io.BytesIO()
    qr.save(image, format="PNG")
    image.seek(0)
    pdf.drawImage(ImageReader(image), width - 50 * mm, 15 * mm, 32 * mm, 32 * mm)
    pdf.setFont(FONT_NAME, 8)
    pdf.drawString(20 * mm, 20 * mm, _("扫描右侧二维码或访问 %(u)s 核验真伪", u=verify_url))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def render_xlsx(user, issued: TranscriptIssue, records: list[CreditRecord], school: str) -> bytes:
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
