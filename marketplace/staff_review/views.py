"""述职评议 pages: the public list and page of each review (that it took place; the distribution of
results from ten staff), opening one (the league), a staff member's report, the raters' list and the
rating form (on a phone), a staff member's own ratings and result, and the league's results, grading,
publishing, 提醒谈话 and export.

Each view parses its form, calls one operation, commits, then redirects or re-renders with the refusal
beside the field (422).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import clock, pagecache, permissions
from .. import exports as export_jobs
from ..bids import files
from ..bids.forms import AttachmentForm
from ..extensions import db
from ..formatting import local_datetime
from ..forms import ActionForm, attempt, flash_refusal
from ..orgs.models import UNION_KINDS, Organization
from ..school.models import Term
from ..surveys.forms import answer_form
from ..surveys.results import comments_of
from ..volunteers.exports import XLSX_MIMETYPE
from . import eligibility, operations, queries, tasks
from .forms import OpenForm, RatingForm, ReportForm, ResultForm, TalkForm
from .models import ReportAttachment, ResultsExport, ReviewStatus, StaffGrade

bp = Blueprint("staff_review", __name__, url_prefix="/staff-reviews")


def _status(review):
    return review.status_at(clock.now())


# -- public -----------------------------------------------------------------------------------------------


@bp.get("")
def index():
    return render_template(
        "staff_review/index.html",
        reviews=queries.listing(),
        may_open=permissions.can(current_user, "staff_review.open"),
        now=clock.now(),
    )


@bp.get("/<int:review_id>")
@pagecache.public
def show(review_id: int):
    """That the review took place — union, term, how many staff, how many ratings — and, published,
    from ten staff, how many got each result. Never a name with a result."""
    review = queries.review_page(review_id)
    counts = queries.answer_counts(review)
    own = queries.own_reviewee(review, current_user)
    return render_template(
        "staff_review/show.html",
        review=review,
        title=operations.title(review),
        status=_status(review),
        summary=queries.public_summary(review, counts),
        own=own,
        may_rate=eligibility.rater_group(current_user, review) is not None,
        may_manage=permissions.can(current_user, "staff_review.manage", review),
        grades=list(StaffGrade),
        minimum=queries.PUBLIC_DISTRIBUTION_FROM,
    )


# -- opening ----------------------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    permissions.require(current_user, "staff_review.open")
    unions = db.session.scalars(
        select(Organization)
        .where(Organization.kind.in_(UNION_KINDS), Organization.is_active)
        .order_by(Organization.kind, Organization.name)
    ).all()
    terms = db.session.scalars(select(Term).order_by(Term.starts_on.desc())).all()
    form = OpenForm(unions=unions, terms=terms)
    outcome = attempt(form, lambda: operations.open_review(current_user, form.to_data()))
    if outcome:
        review = outcome.result
        tasks.tell_raters(review.id)  # after the commit, so the worker finds the review
        flash(_("述职评议已发起：述职人已收到撰写述职报告的通知，评价人将收到邀请。"), "success")
        return redirect(review.url)
    return render_template("staff_review/new.html", form=form), form.status_code


# -- the report -------------------------------------------------------------------------------------------


def _own_or_404(review):
    own = queries.own_reviewee(review, current_user)
    if own is None:
        abort(404)
    return own


def _report_page(review, own, form=None, upload=None, status=200):
    return render_template(
        "staff_review/report.html",
        review=review,
        title=operations.title(review),
        own=own,
        editable=_status(review) == ReviewStatus.OPEN,
        form=form or ReportForm(formdata=None, data={"report": own.report}),
        upload=upload or AttachmentForm(formdata=None),
        remove=ActionForm(formdata=None),
    ), status


@bp.route("/<int:review_id>/report", methods=["GET", "POST"])
@login_required
def report(review_id: int):
    review = queries.review_page(review_id)
    own = _own_or_404(review)
    form = ReportForm(data={"report": own.report})
    if attempt(form, lambda: operations.save_report(current_user, own, form.to_data())):
        flash(_("述职报告已保存。"), "success")
        return redirect(url_for(".report", review_id=review_id))
    return _report_page(review, own, form=form, status=form.status_code)


@bp.post("/<int:review_id>/report/attachments")
@login_required
def attach(review_id: int):
    review = queries.review_page(review_id)
    own = _own_or_404(review)
    upload = AttachmentForm()
    if attempt(upload, lambda: operations.add_attachment(current_user, own, upload.to_data())):
        flash(_("附件已上传。"), "success")
        return redirect(url_for(".report", review_id=review_id))
    return _report_page(review, own, upload=upload, status=upload.status_code)


def _attachment_or_404(public_id: str) -> ReportAttachment:
    attachment = db.session.scalar(
        select(ReportAttachment).where(
            ReportAttachment.public_id == public_id, ReportAttachment.removed_at.is_(None)
        )
    )
    if attachment is None or not permissions.can(
        current_user, "staff_review.read_report", attachment.reviewee
    ):
        abort(404)
    return attachment


@bp.post("/attachments/<public_id>/remove")
@login_required
def remove_attachment(public_id: str):
    attachment = _attachment_or_404(public_id)
    review_id = attachment.reviewee.review_id
    form = ActionForm()
    if attempt(form, lambda: operations.remove_attachment(current_user, attachment)):
        flash(_("附件已删除。"), "success")
    else:
        flash_refusal(form)
    return redirect(url_for(".report", review_id=review_id))


@bp.get("/attachments/<public_id>")
@login_required
def attachment(public_id: str):
    return files.send(_attachment_or_404(public_id), "report")


# -- rating -----------------------------------------------------------------------------------------------


@bp.get("/<int:review_id>/rate")
@login_required
def rate(review_id: int):
    """The staff the user may still rate, each with their report."""
    review = queries.review_page(review_id)
    group = eligibility.rater_group(current_user, review)
    waiting, done = [], 0
    if group is not None:
        rated = queries.rated_by(current_user, review)
        queries.attachments_loaded(review)
        others = [r for r in review.reviewees if r.user_id != current_user.id]
        waiting = [r for r in others if r.user_id not in rated]
        done = len(others) - len(waiting)
    return render_template(
        "staff_review/rate.html",
        review=review,
        title=operations.title(review),
        status=_status(review),
        group=group,
        waiting=waiting,
        done=done,
    )


@bp.route("/<int:review_id>/rate/<int:reviewee_id>", methods=["GET", "POST"])
@login_required
def rate_one(review_id: int, reviewee_id: int):
    review = queries.review_page(review_id)
    reviewee = queries.reviewee_of(review, reviewee_id)
    if not permissions.can(current_user, "staff_review.read_report", reviewee):
        # A rater whose tab stayed open past the close is told why, not shown a missing page.
        closed = _status(review) != ReviewStatus.OPEN
        if closed and eligibility.rater_group(current_user, review) is not None:
            flash(_("评议已于 %(at)s 截止。", at=local_datetime(review.closes_at)), "warning")
            return redirect(url_for(".rate", review_id=review_id))
        abort(404)
    survey = queries.survey_of(reviewee)
    form = answer_form(survey, base=RatingForm)
    if attempt(form, lambda: operations.rate(current_user, reviewee, form.to_data())):
        flash(_("谢谢！你对%(name)s的评价已匿名提交。", name=reviewee.user.name), "success")
        return redirect(url_for(".rate", review_id=review_id))
    return render_template(
        "staff_review/rate_one.html",
        review=review,
        title=operations.title(review),
        reviewee=reviewee,
        survey=survey,
        form=form,
    ), form.status_code


# -- one's own ratings and result ---------------------------------------------------------------------------


def _figures_page(template: str, review, reviewee, **extra):
    answers = queries.answer_counts(review).get(reviewee.user_id, 0)
    shown = queries.figures(reviewee, answers)
    return render_template(
        template,
        review=review,
        title=operations.title(review),
        status=_status(review),
        reviewee=reviewee,
        figures=shown,
        comments=comments_of(shown.survey) if shown.result is not None else [],
        **extra,
    )


@bp.get("/<int:review_id>/mine")
@login_required
def mine(review_id: int):
    """The person's own ratings (after the window, from k) and, once published, result and notes."""
    review = queries.review_page(review_id)
    own = _own_or_404(review)
    return _figures_page("staff_review/mine.html", review, own, published=queries.may_see_own(own))


# -- the league -------------------------------------------------------------------------------------------


def _managed(review_id: int):
    review = queries.review_page(review_id)
    permissions.require(current_user, "staff_review.manage", review)
    return review


@bp.get("/<int:review_id>/results")
@login_required
def results(review_id: int):
    review = _managed(review_id)
    counts = queries.answer_counts(review)
    results = queries.results_by_staff(review, counts)
    return render_template(
        "staff_review/results.html",
        review=review,
        title=operations.title(review),
        status=_status(review),
        counts=counts,
        results=results,
        chart=queries.results_chart(review, results),
        publish_form=ActionForm(formdata=None),
    )


@bp.post("/<int:review_id>/publish")
@login_required
def publish(review_id: int):
    review = _managed(review_id)
    form = ActionForm()
    if attempt(form, lambda: operations.publish(current_user, review)):
        flash(_("结果已公布，每位述职人已收到通知。"), "success")
    else:
        flash_refusal(form)
    return redirect(url_for(".results", review_id=review_id))


@bp.route("/<int:review_id>/results/<int:reviewee_id>", methods=["GET", "POST"])
@login_required
def grade(review_id: int, reviewee_id: int):
    review = _managed(review_id)
    reviewee = queries.reviewee_of(review, reviewee_id)
    form = ResultForm(
        data={
            "grade": reviewee.grade.value if reviewee.grade else None,
            "notes": reviewee.notes,
            "talk_due_on": reviewee.talk.due_on if reviewee.talk else None,
        }
    )
    if attempt(form, lambda: operations.record_result(current_user, reviewee, form.to_data())):
        flash(_("已记录%(name)s的评议结果。", name=reviewee.user.name), "success")
        return redirect(url_for(".results", review_id=review_id))
    page = _figures_page(
        "staff_review/grade.html", review, reviewee, form=form, talk_form=TalkForm(formdata=None)
    )
    return page, form.status_code


@bp.post("/<int:review_id>/results/<int:reviewee_id>/talk")
@login_required
def talk(review_id: int, reviewee_id: int):
    review = _managed(review_id)
    reviewee = queries.reviewee_of(review, reviewee_id)
    if reviewee.talk is None:
        abort(404)
    form = TalkForm()
    if attempt(form, lambda: operations.record_talk(current_user, reviewee.talk, form.to_data())):
        flash(_("已记录提醒谈话。"), "success")
        return redirect(url_for(".results", review_id=review_id))
    page = _figures_page(
        "staff_review/grade.html", review, reviewee, form=ResultForm(formdata=None), talk_form=form
    )
    return page, form.status_code


@bp.post("/<int:review_id>/exports")
@login_required
def export_results(review_id: int):
    """Queue the results workbook; its page shows the progress and, once written, the download."""
    review = _managed(review_id)
    form = ActionForm()
    if outcome := attempt(form, lambda: operations.request_export(current_user, review)):
        tasks.run_export(outcome.result.id)  # after the commit, so that the worker finds the job
        return redirect(outcome.result.url)
    flash_refusal(form)
    return redirect(url_for(".results", review_id=review_id))


def _export_or_404(public_id: str) -> ResultsExport:
    job = db.first_or_404(select(ResultsExport).where(ResultsExport.public_id == public_id))
    permissions.require(current_user, "staff_review.manage", job.review)
    return job


@bp.get("/exports/<public_id>")
@login_required
def export_page(public_id: str):
    job = _export_or_404(public_id)
    return render_template(
        "staff_review/export.html", job=job, review=job.review, title=operations.title(job.review)
    )


@bp.get("/exports/<public_id>/status")
@login_required
def export_status(public_id: str):
    return jsonify(_export_or_404(public_id).progress())


@bp.get("/exports/<public_id>/download")
@login_required
def export_download(public_id: str):
    job = _export_or_404(public_id)
    return export_jobs.send(
        job,
        name=f"{operations.title(job.review)}.xlsx",
        fallback=f"staff-review-{job.review_id}.xlsx",
        mimetype=XLSX_MIMETYPE,
    )
