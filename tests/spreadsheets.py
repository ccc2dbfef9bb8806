"""What every exported workbook must look like (marketplace/spreadsheets.py), asked of a sheet read back
with openpyxl: the header row bold and frozen, the columns at least as wide as their headers, a sheet
name Excel accepts, 学号-like columns stored as text and date columns as real dates."""

from __future__ import annotations

from datetime import datetime

from marketplace.spreadsheets import display_width


def assert_finished(sheet, header_row: int = 1, *, text: tuple[str, ...] = (), dates: tuple[str, ...] = ()):
    header = [cell for cell in sheet[header_row] if cell.value is not None]
    assert header and all(cell.font.bold for cell in header), "the header row is bold"
    assert sheet.freeze_panes == f"A{header_row + 1}", "the header row stays in view"
    assert len(sheet.title) <= 31
    for cell in header:
        width = sheet.column_dimensions[cell.column_letter].width
        assert width >= display_width(str(cell.value)), f"column {cell.value} is as wide as its header"
    names = [cell.value for cell in sheet[header_row]]
    rows = list(sheet.iter_rows(min_row=header_row + 1))
    assert rows, "the sheet has rows under its header"
    for name in text:
        cells = [row[names.index(name)] for row in rows if row[names.index(name)].value is not None]
        assert cells and all(isinstance(c.value, str) and c.number_format == "@" for c in cells), name
    for name in dates:
        cells = [row[names.index(name)] for row in rows if row[names.index(name)].value is not None]
        assert cells and all(isinstance(c.value, datetime) and c.is_date for c in cells), name
