"""The league's workbook of a review's results (述职评议结果): a row per staff member with their post,
ratings, result, notes and the 提醒谈话. A union has tens of staff, so it is built in the request.

The headers are the file's contract with the league's own spreadsheets: plain Chinese constants."""

from __future__ import annotations

import io

from openpyxl import Workbook

from .models import StaffReview
from .queries import figures

COLUMNS = (
    "学号",
    "姓名",
    "职务",
    "评价人数",
    "可评价人数",
    "综合平均星级",
    "评议结果",
    "评语和备注",
    "提醒谈话",
    "谈话日期",
)


def _row(reviewee, answers: int) -> list:
    shown = figures(reviewee, answers)
    talk = reviewee.talk
    return [
        reviewee.user.identifier,
        reviewee.user.name,
        reviewee.title,
        answers,
        shown.audience,
        round(float(shown.result.overall), 2) if shown.result is not None else "",
        str(reviewee.grade.label) if reviewee.grade else "",
        reviewee.notes,
        str(talk.status.label) if talk else "",
        (talk.held_on or talk.due_on).isoformat() if talk else "",
    ]


def results_workbook(review: StaffReview, counts: dict[int, int]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "述职评议结果"
    sheet.append(COLUMNS)
    for reviewee in review.reviewees:
        sheet.append(_row(reviewee, counts.get(reviewee.user_id, 0)))
    for column, width in zip("ABCDEFGHIJ", (14, 10, 14, 10, 12, 14, 10, 30, 10, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
