"""The yearly survey's pages: the league reviewer's console (prepare a year's surveys, edit their
dimensions on the survey's setup page, open them), the student's list of surveys to answer (the
answer page is the survey engine's), and a union's dashboard with its export.

Each view parses its form, calls one operation, commits, then redirects or re-renders.
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import clock, permissions
from ..converters import MAX_ID
from ..downloads import send_download
from ..extensions import db
from ..forms import ActionForm, attempt
from ..orgs.models import UNION_KINDS, Organization
from ..school.models import AcademicYear
from ..surveys.models import SubjectKind, Survey, SurveyInvitation, SurveyRespondent, SurveyStatus
from ..surveys.results import chart_spec, comments_of
from ..volunteers.exports import XLSX_MIMETYPE
from . import dashboard as boards
from . import export, operations
from .forms import OpenForm
from .suppression import TOTAL

bp = Blueprint("satisfaction", __name__)


# -- the league reviewer's console ------------------------------------------------------------------------


def _year(year_id: int | None) -> AcademicYear | None:
    """The year asked for (404 if unknown), else the one containing today, else the latest."""
    if year_id is not None:
        if not 0 < year_id <= MAX_ID:  # a query string is not bounded by the URL converter
            abort(404)
        return db.get_or_404(AcademicYear, year_id)
    today = clock.today_local()
    return db.session.scalar(
        select(AcademicYear).order_by((AcademicYear.starts_on <= today).desc(), AcademicYear.starts_on.desc())
    )


def _console(year: AcademicYear | None, open_form: OpenForm, status: int = 200):
    years = db.session.scalars(select(AcademicYear).order_by(AcademicYear.starts_on.desc())).all()
    return render_template(
        "satisfaction/console.html",
        year=year,
        years=years,
        surveys=boards.year_overview(year) if year else [],
        prepare_form=ActionForm(formdata=None),
        open_form=open_form,
    ), status


@bp.get("/satisfaction")
@login_required
def console():
    permissions.require(current_user, "satisfaction.run")
    return _console(_year(request.args.get("year", type=int)), OpenForm(formdata=None))


@bp.post("/satisfaction/<int:year_id>/prepare")
@login_required
def prepare(year_id: int):
    permissions.require(current_user, "satisfaction.run")
    year = db.get_or_404(AcademicYear, year_id)
    form = ActionForm()
    made = []
    if attempt(form, lambda: made.append(operations.prepare_year(current_user, year))):
        flash(_("已准备 %(n)s 份问卷：开放前可以修改每份问卷的维度。", n=made[0]), "success")
    return redirect(url_for(".console", year=year.id))


@bp.post("/satisfaction/<int:year_id>/open")
@login_required
def open_year(year_id: int):
    # Before the form: a refused form re-renders the console, which is the league reviewer's alone.
    permissions.require(current_user, "satisfaction.run")
    year = db.get_or_404(AcademicYear, year_id)
    form = OpenForm()
    invited = []
    if attempt(form, lambda: invited.append(operations.open_year(current_user, year, form.to_data()))):
        flash(_("问卷已开放，已邀请 %(n)s 人次。", n=invited[0]), "success")
        return redirect(url_for(".console", year=year.id))
    return _console(year, form, form.status_code)


# -- the student's surveys --------------------------------------------------------------------------------


@bp.get("/satisfaction/mine")
@login_required
def mine():
    answered = (
        select(SurveyRespondent.user_id)
        .where(SurveyRespondent.survey_id == Survey.id, SurveyRespondent.user_id == current_user.id)
        .exists()
    )
    rows = db.session.execute(
        select(Survey, answered)
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(
            SurveyInvitation.user_id == current_user.id,
            Survey.kind == SubjectKind.UNION_YEAR,
            Survey.status == SurveyStatus.OPEN,
        )
        .order_by(Survey.closes_at, Survey.id)
    ).all()
    now = clock.now()
    return render_template(
        "satisfaction/mine.html",
        surveys=[(s, done) for s, done in rows if s.status_at(now) == SurveyStatus.OPEN],
    )


# -- the dashboard ----------------------------------------------------------------------------------------


def _union(org_id: int) -> Organization:
    union = db.get_or_404(Organization, org_id)
    if union.kind not in UNION_KINDS:
        abort(404)
    return union


@bp.get("/unions/<int:org_id>/satisfaction")
def dashboard(org_id: int):
    board = boards.dashboard(_union(org_id), request.args.get("year", type=int), current_user)
    readable = board.result is not None and permissions.can(
        current_user, "survey.read_comments", board.selected.survey
    )
    return render_template(
        "satisfaction/dashboard.html",
        board=board,
        trend_chart=boards.trend_chart(board),
        result_chart=chart_spec(board.result) if board.result else None,
        grade_chart=boards.grade_chart(board.breakdown) if board.breakdown else None,
        comments=boards.comments_sample(board.selected.survey) if readable else None,
        total=TOTAL,
    )


@bp.get("/unions/<int:org_id>/satisfaction.xlsx")
def export_xlsx(org_id: int):
    union = _union(org_id)
    board = boards.dashboard(union, request.args.get("year", type=int), current_user)
    if board.result is None:
        abort(404)
    year = board.selected.year
    readable = permissions.can(current_user, "survey.read_comments", board.selected.survey)
    return send_download(
        io.BytesIO(export.workbook(board, comments_of(board.selected.survey) if readable else None)),
        name=f"满意度评价-{union.name}-{year.name}.xlsx",
        fallback=f"satisfaction-{union.id}-{year.id}.xlsx",
        mimetype=XLSX_MIMETYPE,
    )
