"""Documents people take away (出具的文件): the transcript as a formal A4 document, and the stamp image
(印章图片) printed on them.

A document is in Chinese whatever the reader's interface language: it is handed to offices that read
it as the school's, so its words are written here as they are printed, not looked up in a catalogue.
Every page carries the verification code, its QR code and "第 x / y 页"; the tables repeat their
header row on each page and print titles in full.

The stamp is kept exactly as uploaded — a PNG whose transparency must survive, so it never goes
through the photo pipeline (which re-encodes) — under one storage key, and is read only to be drawn
inside a PDF: no view serves it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from flask_babel import gettext as _

from .. import audit, permissions, storage
from ..errors import DomainError
from ..timeutil import SCHOOL_TZ
from .models import CreditRecord, CreditStatus, DocumentIssue

STAMP_KEY = "documents/stamp.png"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UNIT_WORDS = {"credits": "学分", "hours": "学时"}
HEADERS = ["项目", "岗位", "类别", "日期", "学时", "学分", "认定单位"]


# -- the stamp -----------------------------------------------------------------------------------------


def has_stamp() -> bool:
    return storage.exists(STAMP_KEY)


def save_stamp(actor, data: dict) -> None:
    """Keep ``data["stamp"]`` (an upload) as the stamp, if its content is a PNG — whatever its name."""
    # Pillow is slow to import: loaded when a stamp is checked, not by every process
    from PIL import Image, UnidentifiedImageError

    permissions.require(actor, "settings.edit")
    content = data["stamp"].read()
    refusal = _("印章图片须为 PNG 格式（透明背景），这个文件不是 PNG 图片。")
    if not content.startswith(PNG_SIGNATURE):
        raise DomainError(refusal, field="stamp")
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise DomainError(_("这个 PNG 文件已损坏，无法读取，请换一个文件。"), field="stamp") from None
    storage.save(STAMP_KEY, content)
    audit.record(actor, "document.stamp_upload", ("setting", "stamp"), after={"bytes": len(content)})


def remove_stamp(actor) -> None:
    permissions.require(actor, "settings.edit")
    storage.delete(STAMP_KEY)
    audit.record(actor, "document.stamp_remove", ("setting", "stamp"))


def _stamp() -> bytes | None:
    if not has_stamp():
        return None
    with storage.open_stream(STAMP_KEY) as stream:
        return stream.read()


def _stamp_image():
    """The stamp as a flowable 36 mm wide, at the right; None without a stamp."""
    # reportlab is slow to import: loaded when a PDF is made, not by every process
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    if (stamp := _stamp()) is None:
        return None
    width, height = ImageReader(io.BytesIO(stamp)).getSize()
    return Image(io.BytesIO(stamp), 36 * mm, 36 * mm * height / width, mask="auto", hAlign="RIGHT")


# -- the transcript's rows -------------------------------------------------------------------------------


@dataclass
class Activity:
    """One row of the transcript: a student's verified records of one project, position, category and
    verifying office within a term, summed."""

    project: str
    position: str
    category: str
    office: str
    first: datetime
    last: datetime
    hours: Decimal = Decimal(0)
    credits: Decimal = Decimal(0)


def _day(moment: datetime) -> str:
    return moment.astimezone(SCHOOL_TZ).strftime("%Y-%m-%d")


def activities_by_term(records: list[CreditRecord]) -> list[tuple[str, list[Activity]]]:
    """The verified records as (term, activities), terms and activities in the order they began."""
    terms: dict[str, dict[tuple, Activity]] = defaultdict(dict)
    for record in sorted(records, key=lambda r: (r.occurred_at, r.id)):
        if record.status != CreditStatus.VERIFIED:
            continue
        term = record.term.full_name if record.term else "—"
        key = (record.project_id, record.position_id, record.category_id, record.verifying_office)
        activity = terms[term].get(key)
        if activity is None:
            activity = terms[term][key] = Activity(
                project=record.project.title,
                position=record.position.title if record.position else "—",
                category=record.category.name,
                office=record.verifying_office or "—",
                first=record.occurred_at,
                last=record.occurred_at,
            )
        activity.last = record.occurred_at
        activity.hours += record.hours
        activity.credits += record.credits
    return [(term, list(rows.values())) for term, rows in terms.items()]


def date_range(first: datetime, last: datetime) -> str:
    start, end = _day(first), _day(last)
    return start if start == end else f"{start} 至 {end}"


# -- the PDF ---------------------------------------------------------------------------------------------


def _styles():
    # reportlab is slow to import: loaded when a PDF is made, not by every process
    from reportlab.lib.styles import ParagraphStyle

    from .. import printing

    base = ParagraphStyle("body", fontName=printing.font(), fontSize=9, leading=12, wordWrap="CJK")
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=CELL_SIZE, leading=CELL_LEADING),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=14, alignment=1),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=11, leading=16, spaceBefore=8, spaceAfter=4
        ),
    }


CELL_SIZE, CELL_LEADING = 8, 10.5
CELL_PADDING = 12  # reportlab's cell padding, left and right together (points)


def _table(rows, widths, header_rows: int = 1):
    """A ruled table of ``rows`` of values (shown as text) in columns of ``widths``. A value that fits
    its column on one line is drawn as a string; a longer one is laid out as a paragraph that wraps.
    Laying out every cell as a paragraph cost about two thirds of a transcript's time."""
    # reportlab is slow to import: loaded when a PDF is made, not by every process
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    from .. import printing

    font, style = printing.font(), _styles()["cell"]

    def cell(value, width: float):
        text = str(value)
        if "\n" not in text and stringWidth(text, font, CELL_SIZE) <= width - CELL_PADDING:
            return text
        return Paragraph(escape(text), style)

    table = Table(
        [[cell(value, width) for value, width in zip(row, widths, strict=True)] for row in rows],
        colWidths=widths,
        repeatRows=header_rows,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, CELL_SIZE, CELL_LEADING),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _foot(head: str, code: str, issued_at: str, verify_url: str):
    """What every page of an issued document carries: ``head`` and "第 x / y 页" above, the code, the
    issue time, the check's address and its QR code below."""
    # reportlab is slow to import: loaded when a PDF is made, not by every process
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    from .. import printing

    width, height = A4

    def footer(pdf, number: int, total: int) -> None:
        pdf.setFont(printing.font(), 8)
        pdf.drawString(18 * mm, height - 12 * mm, head)
        pdf.drawRightString(width - 18 * mm, height - 12 * mm, f"第 {number} / {total} 页")
        printing.draw_qr(pdf, verify_url, width - 40 * mm, 8 * mm, 22 * mm)
        pdf.drawString(18 * mm, 24 * mm, f"验证码：{code}")
        pdf.drawString(18 * mm, 19 * mm, f"出具时间：{issued_at}")
        pdf.drawString(18 * mm, 14 * mm, f"以扫码核验结果为准：{verify_url}")

    return footer


def render_transcript(
    user,
    issued: DocumentIssue,
    records: list[CreditRecord],
    verify_url: str,
) -> bytes:
    """The transcript as a formal A4 document (reportlab platypus): the school and issuing office, the
    student (name, 学号, college, cohort — nothing more personal), per term one row per activity, totals
    against the requirement with 达标 / 未达标, the pending count, and on every page the code, its QR
    code, "第 x / y 页", the issue time and "以扫码核验结果为准"; the stamp, if one is set. The totals,
    requirement, office and pending count are read from the issue's snapshot: what is printed is what
    the public check shows."""
    # reportlab is slow to import: loaded when a PDF is made, not by every process
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from .. import printing

    styles = _styles()
    snapshot = issued.snapshot
    school, office = snapshot["school"], snapshot["office"]
    issued_at = issued.issued_at.astimezone(SCHOOL_TZ).strftime("%Y-%m-%d %H:%M")
    footer = _foot(f"{school} · {office} · 第二课堂成绩单", issued.code, issued_at, verify_url)

    college = user.college.name if user.college else "—"
    cohort = f"{user.grade} 级" if user.grade else "—"
    level = str(user.degree_level.label) if user.degree_level else ""
    story = [
        Paragraph(escape(f"{school}第二课堂成绩单"), styles["title"]),
        Paragraph(escape(f"出具单位：{office}"), styles["subtitle"]),
        Spacer(1, 4 * mm),
        _table(
            [
                ["姓名", user.name, "学号", user.identifier],
                ["学院", college, "年级", f"{cohort} {level}".strip()],
            ],
            [22 * mm, 65 * mm, 22 * mm, 65 * mm],
            header_rows=0,
        ),
    ]
    widths = [46 * mm, 24 * mm, 18 * mm, 30 * mm, 13 * mm, 13 * mm, 30 * mm]
    terms = activities_by_term(records)
    for term, activities in terms:
        story.append(Paragraph(escape(term), styles["heading"]))
        rows = [list(HEADERS)]
        for a in activities:
            rows.append(
                [a.project, a.position, a.category, date_range(a.first, a.last), a.hours, a.credits, a.office]
            )
        story.append(_table(rows, widths))
    if not terms:
        story.append(Paragraph("尚无已认定的记录。", styles["body"]))
    if snapshot["pending"]:
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(f"另有 {snapshot['pending']} 条记录待认定", styles["body"]))
    story.append(Paragraph("分类合计", styles["heading"]))
    if (requirement := snapshot["requirement"]) is not None:
        rows = [["类别", "要求", "已认定", "结论"]]
        for line in requirement["lines"]:
            unit = UNIT_WORDS[line["unit"]]
            rows.append(
                [
                    line["label"],
                    f"{line['required']} {unit}",
                    f"{line['achieved']} {unit}",
                    "达标" if line["met"] else "未达标",
                ]
            )
        story.append(_table(rows, [50 * mm, 40 * mm, 40 * mm, 44 * mm]))
        verdict = "达标" if requirement["met"] else "未达标"
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(escape(f"{cohort}{level}第二课堂要求：{verdict}"), styles["body"]))
    else:
        rows = [["类别", "学时", "学分"]]
        for name, total in issued.totals.items():
            rows.append([name, total["hours"], total["credits"]])
        story.append(_table(rows, [74 * mm, 50 * mm, 50 * mm]))
        story.append(Paragraph("本年级暂未设定第二课堂达标要求。", styles["body"]))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(escape(f"出具单位：{office}    出具时间：{issued_at}"), styles["body"]))
    if (stamp := _stamp_image()) is not None:
        story.append(stamp)

    title = f"{school}第二课堂成绩单 {user.name}"
    return printing.build(story, title=title, footer=footer, author=office, bottom_margin=34 * mm)


CERTIFICATE_NOTE = "时长为校内第二课堂认定时长（按签到签退核定），以扫码核验结果为准"


def render_certificate(user, issued: DocumentIssue, verify_url: str) -> bytes:
    """The 志愿服务证明 of one project as a formal A4 document: the student (name, 学号, college), the
    project, host, positions and service content, place, date range and every date, verified hours,
    the verifying office, the issuing office and date, the certificate number (its code) with its QR
    code on every page, "第 x / y 页", and the stamp if one is set. Everything but the student is read
    from the issue's snapshot, so what is printed is what the public check shows."""
    # reportlab is slow to import: loaded when a PDF is made, not by every process
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    from .. import printing

    styles = _styles()
    s = issued.snapshot
    school, office = s["school"], s["office"]
    issued_on = issued.issued_at.astimezone(SCHOOL_TZ).strftime("%Y-%m-%d")
    footer = _foot(f"{school} · {office} · 志愿服务证明", issued.code, issued_on, verify_url)

    def joined(values) -> str:
        return "；".join(values) or "—"

    dates = date_range_text(s["first_on"], s["last_on"])
    rows = [
        ("姓名", user.name),
        ("学号", user.identifier),
        ("学院", user.college.name if user.college else "—"),
        ("服务项目", s["project"]),
        ("承办单位", s["host"] or "—"),
        ("发榜单位", s["union"]),
        ("服务岗位", joined(s["positions"])),
        ("服务内容", joined(s["content"])),
        ("服务地点", joined(s["places"])),
        ("服务时间", dates),
        ("服务日期", "、".join(s["dates"])),
        ("认定时长", f"{s['hours']} 学时"),
        ("认定单位", joined(s["verifying_offices"])),
    ]
    story = [
        Paragraph(escape(f"{school}志愿服务证明"), styles["title"]),
        Paragraph(escape(f"证明编号：{issued.code}"), styles["subtitle"]),
        Spacer(1, 6 * mm),
        Paragraph(
            escape(
                f"兹证明 {user.name}（学号 {user.identifier}）于 {dates} 参加“{s['project']}”志愿服务，"
                f"经认定服务时长共计 {s['hours']} 学时。"
            ),
            styles["body"],
        ),
        Spacer(1, 4 * mm),
        _table(
            rows,
            [30 * mm, 144 * mm],
            header_rows=0,
        ),
        Spacer(1, 3 * mm),
    ]
    if s["pending"]:
        story.append(
            Paragraph(
                f"本证明仅含已认定部分；该项目另有 {s['pending']} 条记录待认定，认定后可重新出具。",
                styles["body"],
            )
        )
    story.append(Paragraph(escape(CERTIFICATE_NOTE + "。"), styles["body"]))
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(escape(f"出具单位：{office}    出具日期：{issued_on}"), styles["body"]))
    if (stamp := _stamp_image()) is not None:
        story.append(stamp)
    title = f"{school}志愿服务证明 {user.name} {s['project']}"
    return printing.build(story, title=title, footer=footer, author=office, bottom_margin=34 * mm)


def date_range_text(first: str, last: str) -> str:
    return first if first == last else f"{first} 至 {last}"
