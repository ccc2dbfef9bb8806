"""A shift with confirmed attendance, turned into credit records, in a line."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pypdfium2
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from marketplace import clock
from marketplace.credits.models import CreditCategory, CreditRecord, CreditStatus
from marketplace.credits.operations import credits_for
from marketplace.extensions import db
from marketplace.school.models import AcademicYear, Term
from marketplace.volunteers import attendance
from tests import factories
from tests.volunteers.helpers import HostingWorld


def spring_term() -> Term:
    year = AcademicYear(name="2025-2026学年", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31))
    term = Term(year=year, name="第二学期", starts_on=date(2026, 2, 23), ends_on=date(2026, 7, 10))
    db.session.add_all([year, term])
    db.session.commit()
    return term


class CreditWorld(HostingWorld):
    """A hosting project whose shift of ``n`` volunteers has been attended and confirmed."""

    def __init__(self, volunteers: int = 2, credit_hours: str = "4"):
        super().__init__()
        self.term = spring_term()
        self.shift_ = self.shift(self.position(), capacity=volunteers, hours=4, credit_hours=credit_hours)
        self.volunteers = self.students(volunteers)
        for student in self.volunteers:
            self.sign_up(student, self.shift_)
        clock.set(self.shift_.starts_at)
        code = attendance.checkin_code(self.shift_)
        for student in self.volunteers:
            attendance.check_in_or_out(student, self.shift_, {"code": code})
        clock.set(self.shift_.ends_at - timedelta(seconds=30))
        code = attendance.checkin_code(self.shift_)
        for student in self.volunteers:
            attendance.check_in_or_out(student, self.shift_, {"code": code})
        db.session.commit()
        clock.set(self.shift_.ends_at + timedelta(minutes=5))
        attendance.confirm_attendance(self.host, self.shift_)
        db.session.commit()


def add_records(world, n: int, *, user=None, status: CreditStatus = CreditStatus.CONFIRMED, hours="2"):
    """``n`` records in the world's term, each on a project of its own, in turns through the categories,
    for ``user`` (else each for a student of its own) — so a page that loads them one by one shows."""
    categories = db.session.scalars(select(CreditCategory).order_by(CreditCategory.position)).all()
    made = []
    for i in range(n):
        project = world.open_project(title=f"第{i + 1}期朋辈辅导")
        category = categories[i % len(categories)]
        record = CreditRecord(
            user_id=(user or factories.user()).id,
            project_id=project.id,
            category_id=category.id,
            term_id=world.term.id,
            hours=Decimal(hours),
            credits=credits_for(Decimal(hours), category),
            status=status,
            verified_by_id=world.reviewer.id if status == CreditStatus.VERIFIED else None,
            rejection_reason="时长与签到记录不符" if status == CreditStatus.REJECTED else None,
            occurred_at=world.shift_.starts_at,
        )
        db.session.add(record)
        made.append(record)
    db.session.commit()
    return made


def records_of(user=None) -> list[CreditRecord]:
    stmt = select(CreditRecord).order_by(CreditRecord.id)
    if user is not None:
        stmt = stmt.where(CreditRecord.user_id == user.id)
    return db.session.scalars(stmt).all()


def unembedded_fonts(data: bytes) -> list[str]:
    """The fonts a PDF uses without embedding them (a reader without them shows boxes)."""
    missing = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font["/BaseFont"]))
    return missing


def printed_qr_codes(data: bytes) -> list[list[str]]:
    """What a phone reads from the QR codes on each page of a PDF (rendered at 144 dpi)."""
    document = pypdfium2.PdfDocument(data)
    return [
        [code.text for code in zxingcpp.read_barcodes(page.render(scale=2).to_pil())] for page in document
    ]


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
