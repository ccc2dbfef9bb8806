"""The dashboard as an Excel workbook: exactly what its viewer may see on the page — the year's figures
and the trend for anyone, the college × grade breakdown (its hidden numbers left out) and the comments
(all of them, where the page draws a sample) only for those who may read them. Small (a few hundred
rows), so written in the request.

Column headers stay Chinese whatever language the viewer reads the site in: the file is the league's.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from .. import spreadsheets
from ..surveys.models import STARS
from .dashboard import Dashboard
from .suppression import TOTAL

HIDDEN = "不公布"
TREND = spreadsheets.columns(
    "学年", ("答卷", "number"), ("邀请", "number"), ("参与率", "number"), ("总体平均星级", "number")
)


def _number(value) -> float | str:
    return "" if value is None else round(float(value), 2)


def workbook(board: Dashboard, comments: list | None = None) -> bytes:
    """``comments``: those the viewer may read (None: none may be)."""
    book = Workbook()
    survey = board.selected.survey
    above = [
        [board.union.name, survey.academic_year.name],
        ["答卷", board.result.responses, "邀请", board.result.invited],
    ]
    stars = [(f"{n}星人数", "number") for n in STARS]
    append = spreadsheets.table(
        book, "各维度", spreadsheets.columns("维度", ("平均星级", "number"), *stars), above=above, first=True
    )
    for d in board.result.dimensions:
        append([d.label, _number(d.mean), *[d.distribution[n] for n in STARS]])
    append = spreadsheets.table(book, "历年趋势", TREND)
    for y in board.years:
        rate = None if y.response_rate is None else round(float(y.response_rate), 4)
        append([y.year.name, y.answered, y.invited, rate, _number(y.overall)])
    if board.breakdown is not None:
        _breakdown_sheet(book, board)
    if comments is not None:
        append = spreadsheets.table(
            book, "意见", spreadsheets.columns(("意见（顺序随机，与提交先后无关）", "long"))
        )
        for comment in comments:
            append([comment.body])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _breakdown_sheet(book, board: Dashboard) -> None:
    breakdown = board.breakdown
    note = f"每格：答卷数 / 平均星级；少于 {breakdown.k} 份或为防推算而隐藏的格子标为“{HIDDEN}”"
    cols = spreadsheets.columns("学院", *[f"{g}级" for g in breakdown.grades], "合计")
    append = spreadsheets.table(book, "学院×年级", cols, above=[[note]])
    rows = [*breakdown.colleges, (TOTAL, "合计")]
    for college_id, name in rows:
        line = [name]
        for grade in [*breakdown.grades, TOTAL]:
            cell = breakdown.cell(college_id, grade)
            line.append(HIDDEN if cell.hidden else f"{cell.responses} / {_number(cell.mean) or '—'}")
        append(line)
