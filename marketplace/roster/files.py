"""Roster files: which columns they have, telling an .xlsx from a CSV by content, reading either into
rows of text, and the template workbook offered for download.

The column headers are the file's contract with the school's spreadsheets, not interface text: they
stay Chinese whatever language the admin reads the site in, so they are plain constants.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from .. import spreadsheets
from ..errors import DomainError
from ..spreadsheets import Column

KIND = "类型"
NUMBER = "学号/工号"
NAME = "姓名"
COLLEGE = "学院"
GRADE = "年级"
DEGREE = "学历层次"
PHONE = "手机"
EMAIL = "邮箱"
POLITICAL = "政治面貌"
STATUS = "状态"
ORG = "组织"
ROLE = "组织角色"
TITLE = "职务"
STARTS = "开始日期"
ENDS = "结束日期"

COLUMNS = (
    KIND,
    NUMBER,
    NAME,
    COLLEGE,
    GRADE,
    DEGREE,
    PHONE,
    EMAIL,
    POLITICAL,
    STATUS,
    ORG,
    ROLE,
    TITLE,
    STARTS,
    ENDS,
)
# Without these a row means nothing; every other column may be left out of the file.
REQUIRED_COLUMNS = (KIND, NUMBER, NAME)
# The columns that describe the person (as opposed to one of their memberships): on every row of the
# same person they must agree.
PERSONAL_COLUMNS = (KIND, NUMBER, NAME, COLLEGE, GRADE, DEGREE, PHONE, EMAIL, POLITICAL, STATUS)
MEMBERSHIP_COLUMNS = (ORG, ROLE, TITLE, STARTS, ENDS)

EXAMPLE_ROW = (
    "学生",
    "2024010001",
    "张三",
    "计算机学院",
    2024,
    "本科",
    "13800000000",
    "zhangsan@example.edu.cn",
    "共青团员",
    "正常",
    "校学生会",
    "成员",
    "干事",
    "2025-09-01",
    "",
)
# The template's columns as spreadsheets.py types them: 学号 and 手机 stay text (Excel would turn a long
# 学号 into 2.02E+09), the dates are left as typed text, which the import reads either way.
TEMPLATE_KINDS = {NUMBER: "id", PHONE: "id", GRADE: "number", EMAIL: "long"}

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
_XLSX_PARTS = {"[Content_Types].xml", "xl/workbook.xml"}


class RosterFileError(DomainError):
    """The file as a whole cannot be read (as opposed to a cell with a wrong value)."""


@dataclass
class Table:
    """A sheet read as text: the header row and the data rows with their spreadsheet row numbers."""

    header: list[str]
    rows: list[tuple[int, list[str]]]


def file_format(filename: str, data: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` for an upload whose content matches its name; otherwise a Chinese
    reason why not. The name says which format was meant, the bytes must prove it."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise RosterFileError(_("只支持 .xlsx 和 .csv 文件。"), field="file")
    if not data:
        raise RosterFileError(_("文件是空的，请检查后重新上传。"), field="file")
    if suffix == XLSX:
        if not _is_xlsx(data):
            raise RosterFileError(
                _("文件内容不是 Excel 工作簿（.xlsx）。旧版 .xls 文件请在 Excel 中另存为 .xlsx 后再上传。"),
                field="file",
            )
    else:
        _decode(data)
    return suffix


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist()) >= _XLSX_PARTS
    except zipfile.BadZipFile:
        return False


def _decode(data: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM) or GB18030, which Excel on Chinese Windows
    writes when it saves "CSV". A NUL byte never occurs in text, so it means a binary file."""
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise RosterFileError(
        _("这不是可读的 CSV 文本文件。请在 Excel 中另存为“CSV UTF-8”后再上传。"), field="file"
    )


def _cell_text(value) -> str:
    """A cell as the text the admin sees: numbers without a trailing ``.0``, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: Path) -> Table:
    """Read the first sheet (or the CSV) at ``path`` as text. Blank rows are skipped but counted, so
    row numbers are the ones the admin sees in Excel."""
    try:
        raw = _read_xlsx(path) if path.suffix.lower() == f".{XLSX}" else _read_csv(path)
    except RosterFileError:
        raise
    except Exception:  # openpyxl raises many kinds of error on a damaged workbook
        raise RosterFileError(_("无法读取文件，它可能已损坏。请在 Excel 中重新保存后再上传。")) from None
    header: list[str] | None = None
    rows = []
    for number, values in enumerate(raw, start=1):
        texts = [_cell_text(v) for v in values]
        if header is None:
            header = texts
        elif any(texts):
            rows.append((number, texts))
    return Table(header=header or [], rows=rows)


def _read_xlsx(path: Path):
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def _read_csv(path: Path):
    yield from csv.reader(io.StringIO(_decode(path.read_bytes()), newline=""))


def template_workbook() -> bytes:
    """The import template: the header row and one example row, 学号 and 手机 as text cells."""
    workbook = Workbook()
    cols = [Column(name, TEMPLATE_KINDS.get(name, "text")) for name in COLUMNS]
    spreadsheets.table(workbook, "名册", cols, first=True)(EXAMPLE_ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
