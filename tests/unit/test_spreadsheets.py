"""The one way workbooks and CSV cells are written (marketplace/spreadsheets.py): typed cells, and text
that begins like a formula kept as text."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from marketplace import spreadsheets
from marketplace.spreadsheets import Column
from tests.spreadsheets import assert_finished

COLUMNS = spreadsheets.columns(
    ("学号", "id"), "姓名", ("学时", "number"), ("日期", "date"), ("签到", "datetime")
)
ROW = [
    "2024000100",
    '=HYPERLINK("http://x","点我")',
    Decimal("2.5"),
    date(2026, 3, 1),
    datetime(2026, 3, 1, 1, 30, tzinfo=UTC),
]


@pytest.mark.parametrize("write_only", [False, True])
def test_a_table_types_its_cells_and_keeps_typed_formulas_as_text(write_only):
    book = Workbook(write_only=write_only)
    spreadsheets.table(book, "名单", COLUMNS, first=not write_only)(ROW)
    buffer = io.BytesIO()
    book.save(buffer)

    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["名单"]
    assert_finished(sheet, text=("学号",), dates=("日期", "签到"))
    name, hours, checked_in = sheet["B2"], sheet["C2"], sheet["E2"]
    assert name.data_type == "s" and name.value == ROW[1]  # shown as typed, never run
    assert hours.value == 2.5
    assert checked_in.value == datetime(2026, 3, 1, 9, 30)  # Beijing time, as the school reads it


def test_a_csv_cell_that_begins_like_a_formula_gets_an_apostrophe():
    assert spreadsheets.csv_text("=1+1") == "'=1+1"
    assert spreadsheets.csv_text("-5 分") == "'-5 分"
    assert spreadsheets.csv_text("张三") == "张三" and spreadsheets.csv_text(None) == ""


def test_a_sheet_name_longer_than_excel_allows_is_refused():
    with pytest.raises(ValueError):
        spreadsheets.table(Workbook(), "名" * 32, [Column("姓名")])
