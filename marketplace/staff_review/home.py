"""What the home page asks of 述职评议 (待办): a staff member's own report while their review is open,
and the league reviewer's results to record once a review has closed."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, cast, func, literal, select

from .. import actions
from .models import ReviewStatus, StaffReview, StaffReviewee


@actions.kind(
    "staff_review.report",
    _l("述职评议进行中：%(title)s"),
    lambda ref: url_for("staff_review.report", review_id=int(ref)),
    when=_l("%(at)s 截止"),
)
def own_report(viewer) -> Select:
    now = actions.NOW
    return (
        select(
            cast(StaffReview.id, String).label("ref"),
            literal(_("填写或修改你的述职报告")).label("title"),
            StaffReview.closes_at.label("at"),
            literal(1).label("n"),
        )
        .join(StaffReviewee, StaffReviewee.review_id == StaffReview.id)
        .where(
            StaffReviewee.user_id == viewer.id,
            StaffReview.status == ReviewStatus.OPEN,
            StaffReview.opens_at <= now,
            StaffReview.closes_at > now,
        )
    )


@actions.kind(
    "staff_review.grade",
    _l("述职评议已截止，待评定结果：%(n)s 人"),
    lambda ref: url_for("staff_review.results", review_id=int(ref)),
    when=_l("%(at)s 截止"),
)
def results_to_record(viewer) -> Select:
    return (
        select(
            cast(StaffReview.id, String).label("ref"),
            literal("").label("title"),
            StaffReview.closes_at.label("at"),
            func.count(StaffReviewee.id).label("n"),
        )
        .join(StaffReviewee, StaffReviewee.review_id == StaffReview.id)
        .where(
            StaffReview.status == ReviewStatus.OPEN,
            StaffReview.closes_at <= actions.NOW,
            StaffReviewee.grade.is_(None),
        )
        .group_by(StaffReview.id, StaffReview.closes_at)
    )
