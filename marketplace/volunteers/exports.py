"""The host's roster of a shift as an Excel workbook (志愿者名单).

The column headers are the file's contract with the host's own spreadsheets, so they are plain
constants that stay Chinese whatever language the host reads the site in.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from .. import spreadsheets
from .models import Signup, SignupStatus

COLUMNS = spreadsheets.columns(
    ("学号", "id"),
    "姓名",
    "学院",
    ("手机", "id"),
    "状态",
    ("签到", "datetime"),
    ("签退", "datetime"),
    ("认定时长", "number"),
)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(signup: Signup) -> list:
    user, attendance = signup.user, signup.attendance
    return [
        user.student_no,
        user.name,
        user.college.name if user.college else "",
        # The host sees the phone numbers of the volunteers holding a seat, nobody else's.
        (user.phone or "") if signup.status.holds_seat else "",
        str(signup.status.label),
        attendance.checked_in_at if attendance else None,
        attendance.checked_out_at if attendance else None,
        attendance.credited_hours if attendance else None,
    ]


def roster_workbook(signups: list[Signup]) -> bytes:
    """Everyone on the roster but those who cancelled, in the roster's order."""
    book = Workbook()
    append = spreadsheets.table(book, "志愿者名单", COLUMNS, first=True)
    for signup in signups:
        if signup.status != SignupStatus.CANCELLED:
            append(_row(signup))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
