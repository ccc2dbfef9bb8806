"""Excel files that look finished (导出表格): every workbook the app writes goes through :func:`table`.

A table is a sheet named in Chinese (at most 31 characters, Excel's limit), optional lines above it
(a title, a note), a bold header row that stays in view when scrolling (frozen panes), column widths
from the header and the column's kind, and cells typed by that kind:

- ``text``: as given; ``long``: as given, in a wide column;
- ``id``: 学号, 工号, phone numbers, codes — stored as text with the text format, so Excel neither drops
  a leading zero nor shows 2.02E+09;
- ``number``: a number (a Decimal or a numeric string becomes a number Excel can sum);
- ``date`` and ``datetime``: real dates in the school's time zone, naive (Excel has no time zones),
  with a number format, so they sort and filter as dates.

Column headers are the files' contract with the spreadsheets people keep, so exports pass plain
Chinese constants, whatever language the person exporting reads the site in. Works for ordinary and
write-only workbooks alike (the large exports stream with ``Workbook(write_only=True)``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .timeutil import local

KINDS = ("text", "long", "id", "number", "date", "datetime")
# The narrowest each kind reads well in, in Excel's width units (about one Latin character).
MIN_WIDTH = {"text": 12, "long": 40, "id": 14, "number": 10, "date": 12, "datetime": 17}
FORMATS = {"id": "@", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
MAX_TITLE = 31  # Excel refuses longer sheet names
# What a spreadsheet runs as a formula when a cell begins with it: a name or reason typed
# "=HYPERLINK(…)" would run in the Excel of whoever opens the export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    """One column of an exported table: its header and what kind of value it holds."""

    header: str
    kind: str = "text"

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def width(self) -> int:
        return max(MIN_WIDTH[self.kind], display_width(self.header) + 2)


def display_width(text: str) -> int:
    """How wide ``text`` shows: a Chinese character takes the room of two Latin ones."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def columns(*specs: str | tuple[str, str]) -> tuple[Column, ...]:
    """``columns("姓名", ("学号", "id"))``: headers with their kinds (text when not given)."""
    return tuple(Column(spec) if isinstance(spec, str) else Column(*spec) for spec in specs)


def cell_value(value, kind: str):
    """What a cell of this kind holds for ``value`` (None and "" leave it empty)."""
    if value is None or value == "":
        return None
    if kind == "id":
        return str(value)
    if kind == "number":
        if isinstance(value, int | float):
            return value
        try:
            return float(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if kind in ("date", "datetime") and isinstance(value, datetime):
        moment = local(value) if value.tzinfo is not None else value
        return moment.replace(tzinfo=None) if kind == "datetime" else moment.date()
    if kind == "date" and isinstance(value, date):
        return value
    return value


def csv_text(value) -> str:
    """A CSV cell for a value people typed: text that begins like a formula gets a leading apostrophe,
    which spreadsheets show as text and do not display."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def table(
    book, title: str, cols: Sequence[Column], *, above: Iterable[Sequence] = (), first: bool = False
) -> Callable[[Sequence], None]:
    """Start a sheet ``title`` in ``book`` with its lines ``above`` and the header of ``cols``; returns
    the function that appends one row of values (in the order of ``cols``). ``first``: use the sheet an
    ordinary workbook starts with instead of adding one."""
    if len(title) > MAX_TITLE:
        raise ValueError(f"sheet name longer than {MAX_TITLE} characters: {title}")
    sheet = book.active if first else book.create_sheet(title)
    sheet.title = title
    for index, column in enumerate(cols, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.kind == "id":  # what people type into the column later stays text too
            dimension.number_format = FORMATS["id"]
    lines = [list(line) for line in above]
    # Write-only sheets take their panes before the first row.
    sheet.freeze_panes = f"A{len(lines) + 2}"
    for line in lines:
        sheet.append(line)
    sheet.append([_cell(sheet, column.header, BOLD) for column in cols])

    def append(values: Sequence) -> None:
        cells = zip(values, cols, strict=True)
        sheet.append(
            [_cell(sheet, cell_value(v, c.kind), number_format=FORMATS.get(c.kind)) for v, c in cells]
        )

    return append


def _cell(sheet, value, font: Font | None = None, number_format: str | None = None) -> Cell:
    cell = WriteOnlyCell(sheet, value)  # placed where the row puts it, in either kind of sheet
    if cell.data_type == "f":  # text typed "=…" is text here, never a formula (see FORMULA_STARTS)
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell
