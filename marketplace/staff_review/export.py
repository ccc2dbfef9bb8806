"""The league's workbook of a review's results (述职评议结果): a row per staff member with their post,
ratings, result, notes and the 提醒谈话. Written in the background like every export (``exports``,
``tasks.run_export``), from the same few statements however many staff the union has.

The headers are the file's contract with the league's own spreadsheets: plain Chinese constants."""

from __future__ import annotations

from collections.abc import Callable

from openpyxl import Workbook

from .. import spreadsheets
from .models import StaffReview
from .queries import answer_counts, results_by_staff, review_page

COLUMNS = spreadsheets.columns(
    ("学号", "id"),
    "姓名",
    "职务",
    ("评价人数", "number"),
    ("可评价人数", "number"),
    ("综合平均星级", "number"),
    "评议结果",
    ("评语和备注", "long"),
    "提醒谈话",
    ("谈话日期", "date"),
)


def _row(reviewee, answers: int, audience: int, result) -> list:
    talk = reviewee.talk
    return [
        reviewee.user.identifier,
        reviewee.user.name,
        reviewee.title,
        answers,
        audience,
        round(float(result.overall), 2) if result is not None else None,
        str(reviewee.grade.label) if reviewee.grade else "",
        reviewee.notes,
        str(talk.status.label) if talk else "",
        (talk.held_on or talk.due_on) if talk else None,
    ]


def write_results(review_id: int, out, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the results of review ``review_id`` to ``out`` (a binary file); returns the row count."""
    review: StaffReview = review_page(review_id)
    counts = answer_counts(review)
    results = results_by_staff(review, counts)
    audience = max(review.audience_size - 1, 0)
    book = Workbook()
    append = spreadsheets.table(book, "述职评议结果", COLUMNS, first=True)
    total = len(review.reviewees)
    for written, reviewee in enumerate(review.reviewees, 1):
        answers = counts.get(reviewee.user_id, 0)
        append(_row(reviewee, answers, audience, results.by_user.get(reviewee.user_id)))
        if progress and written % 10 == 0:
            progress(written, total)
    book.save(out)
    return total
