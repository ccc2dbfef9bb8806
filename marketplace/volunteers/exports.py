"""The host's roster of a shift as an Excel workbook (志愿者名单).

The column headers are the file's contract with the host's own spreadsheets, so they are plain
constants that stay Chinese whatever language the host reads the site in.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from ..formatting import local_datetime
from .models import Signup, SignupStatus

COLUMNS = ("学号", "姓名", "学院", "手机", "状态", "签到", "签退", "认定时长")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(signup: Signup) -> list:
    user, attendance = signup.user, signup.attendance
    return [
        user.student_no,
        user.name,
        user.college.name if user.college else "",
        # The host sees the phone numbers of the volunteers holding a seat, nobody else's.
        (user.phone or "") if signup.status.holds_seat else "",
        signup.status.label,
        local_datetime(attendance.checked_in_at) if attendance else "",
        local_datetime(attendance.checked_out_at) if attendance else "",
        float(attendance.credited_hours) if attendance and attendance.credited_hours is not None else "",
    ]


def roster_workbook(signups: list[Signup]) -> bytes:
    """Everyone on the roster but those who cancelled, in the roster's order."""
    book = Workbook()
    sheet = book.active
    sheet.title = "志愿者名单"
    sheet.append(COLUMNS)
    for signup in signups:
        if signup.status != SignupStatus.CANCELLED:
            sheet.append(_row(signup))
    for column, width in zip("ABCDEFGH", (14, 10, 16, 14, 12, 18, 18, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
