"""The dashboard as an Excel workbook: exactly what its viewer may see on the page — the year's figures
and the trend for anyone, the college × grade breakdown (its hidden numbers left out) and the comments
(all of them, where the page draws a sample) only for those who may read them. Small (a few hundred
rows), so written in the request.

Column headers stay Chinese whatever language the viewer reads the site in: the file is the league's.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from ..surveys.models import STARS
from .dashboard import Dashboard
from .suppression import TOTAL

HIDDEN = "不公布"


def _number(value) -> float | str:
    return "" if value is None else round(float(value), 2)


def workbook(board: Dashboard, comments: list | None = None) -> bytes:
    """``comments``: those the viewer may read (None: none may be)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "各维度"
    survey = board.selected.survey
    sheet.append([board.union.name, survey.academic_year.name])
    sheet.append(["答卷", board.result.responses, "邀请", board.result.invited])
    sheet.append(["维度", "平均星级", *[f"{n}星人数" for n in STARS]])
    for d in board.result.dimensions:
        sheet.append([d.label, _number(d.mean), *[d.distribution[n] for n in STARS]])
    trend = book.create_sheet("历年趋势")
    trend.append(["学年", "答卷", "邀请", "参与率", "总体平均星级"])
    for y in board.years:
        rate = "" if y.response_rate is None else round(float(y.response_rate), 4)
        trend.append([y.year.name, y.answered, y.invited, rate, _number(y.overall)])
    if board.breakdown is not None:
        _breakdown_sheet(book, board)
    if comments is not None:
        sheet = book.create_sheet("意见")
        sheet.append(["意见（顺序随机，与提交先后无关）"])
        for comment in comments:
            sheet.append([comment.body])
    for ws in book.worksheets:
        ws.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _breakdown_sheet(book, board: Dashboard) -> None:
    breakdown = board.breakdown
    sheet = book.create_sheet("学院×年级")
    sheet.append([f"每格：答卷数 / 平均星级；少于 {breakdown.k} 份或为防推算而隐藏的格子标为“{HIDDEN}”"])
    sheet.append(["学院", *[f"{g}级" for g in breakdown.grades], "合计"])
    rows = [*breakdown.colleges, (TOTAL, "合计")]
    for college_id, name in rows:
        line = [name]
        for grade in [*breakdown.grades, TOTAL]:
            cell = breakdown.cell(college_id, grade)
            line.append(HIDDEN if cell.hidden else f"{cell.responses} / {_number(cell.mean) or '—'}")
        sheet.append(line)
