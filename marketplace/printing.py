"""Printed documents (打印文件): what every A4 PDF the app lays out with reportlab's platypus shares — the
Chinese TrueType font, embedded (a subset of the glyphs used), the paragraph styles, a QR code, and
a footer on every page that says "第 x / y 页" and whatever the document adds.

reportlab and qrcode are slow to import (about 0.1 s each), so this module is imported only where a
PDF is made, inside the function that makes it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

import qrcode
from flask import current_app
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, TableStyle

FONT_NAME = "JiebangCJK"
DEFAULT_FONT = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
MARGIN = 18 * mm


def font() -> str:
    """The name of the registered CJK font (``PDF_FONT_PATH``, or the one the app ships)."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        path = current_app.config.get("PDF_FONT_PATH") or str(DEFAULT_FONT)
        # A TrueType collection needs its face index.
        face = TTFont(FONT_NAME, path, subfontIndex=0) if path.endswith(".ttc") else TTFont(FONT_NAME, path)
        pdfmetrics.registerFont(face)
        # One face for every style: <b> in a paragraph would otherwise fall back to Helvetica, which
        # has no Chinese and is not embedded.
        registerFontFamily(
            FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME
        )
    return FONT_NAME


def styles() -> dict[str, ParagraphStyle]:
    """Title, heading, body, small and table-cell styles; CJK wrapping so long titles break anywhere."""
    name = font()
    body = ParagraphStyle("body", fontName=name, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=1, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=10, alignment=1, textColor=colors.grey),
        "heading": ParagraphStyle(
            "heading", parent=body, fontSize=12.5, leading=18, spaceBefore=8, spaceAfter=4
        ),
        "body": body,
        "small": ParagraphStyle(
            "small", parent=body, fontSize=9, leading=13, textColor=colors.HexColor("#444444")
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=13),
        "signature": ParagraphStyle("signature", parent=body, alignment=2),
    }


def table_style(*extra) -> TableStyle:
    """A plain ruled table whose first row is its header (repeated on each page by ``repeatRows=1``)."""
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font()),
            ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            *extra,
        ]
    )


def draw_qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` as a square of ``size`` with its lower left corner at (x, y), drawn once
    per document and placed by reference on every page that shows it.

    Vector shapes, not a picture: sharp at any zoom and on any printer, and nothing to encode as PNG,
    decode and compress again, which was a tenth of a transcript's time."""
    modules = _qr_modules(url)
    side = len(modules)
    name = "qr-" + hashlib.sha1(url.encode()).hexdigest()[:16]
    pdf.saveState()
    if not pdf.hasForm(name):
        pdf.beginForm(name, lowerx=0, lowery=0, upperx=side, uppery=side)
        pdf.setFillColor(colors.white)
        pdf.rect(0, 0, side, side, stroke=0, fill=1)
        path = pdf.beginPath()
        for row, dark in enumerate(modules):
            for start, length in _runs(dark):
                path.rect(start, side - row - 1, length, 1)
        pdf.setFillColor(colors.black)
        pdf.drawPath(path, stroke=0, fill=1)
        pdf.endForm()
    pdf.translate(x, y)
    pdf.scale(size / side, size / side)
    pdf.doForm(name)
    pdf.restoreState()


@lru_cache(maxsize=8)  # a document's foot draws the same code on every page
def _qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    # One fixed mask: any of the eight reads the same, and trying them all to pick the "best" was
    # about a tenth of a transcript's rendering.
    code = qrcode.QRCode(border=1, mask_pattern=0)
    code.add_data(url)
    code.make()
    return tuple(map(tuple, code.get_matrix()))


def _runs(dark: tuple[bool, ...]) -> Iterator[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row: one rectangle per run, not per module."""
    start = None
    for column, is_dark in enumerate((*dark, False)):
        if is_dark and start is None:
            start = column
        elif not is_dark and start is not None:
            yield start, column - start
            start = None


class QrCode(Flowable):
    """The QR code of ``url`` in a document's flow (a cell of a table, say), ``size`` square."""

    def __init__(self, url: str, size: float = 28 * mm):
        super().__init__()
        self.url, self.width, self.height = url, size, size

    def draw(self) -> None:
        draw_qr(self.canv, self.url, 0, 0, self.width)


Footer = Callable[[canvas.Canvas, int, int], None]


def page_numbers(text: str = "") -> Footer:
    """The plain foot: ``text`` on the left, "第 x / y 页" on the right."""

    def draw(pdf: canvas.Canvas, number: int, total: int) -> None:
        pdf.setFont(font(), 8.5)
        pdf.setFillColor(colors.HexColor("#555555"))
        width, _height = A4
        if text:
            pdf.drawString(MARGIN, 10 * mm, text)
        pdf.drawRightString(width - MARGIN, 10 * mm, f"第 {number} / {total} 页")

    return draw


def build(
    flowables: list, *, title: str, footer: Footer, author: str = "", bottom_margin: float = 24 * mm
) -> bytes:
    """Lay ``flowables`` out on A4 pages and return the PDF; ``footer(canvas, x, y)`` draws on every
    page once the page count ``y`` is known (see :class:`_NumberedCanvas`)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=bottom_margin,
        title=title,
        author=author or current_app.config["SCHOOL_NAME"],
        initialFontName=font(),  # reportlab's default, Helvetica, would be listed unembedded
    )
    doc.build(flowables, canvasmaker=_numbered(footer))
    return buffer.getvalue()


def _numbered(footer: Footer) -> Callable[..., canvas.Canvas]:
    def make(*args, **kwargs):
        return _NumberedCanvas(footer, *args, **kwargs)

    return make


class _NumberedCanvas(canvas.Canvas):
    """Holds each page back until the document ends, then draws every page's foot with the count."""

    def __init__(self, footer: Footer, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 — reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, page in enumerate(self._pages, start=1):
            self.__dict__.update(page)
            self._footer(self, number, total)
            super().showPage()
        super().save()
