"""The survey pages (满意度问卷): answering (invited students, on a phone), the results (public for a
project; its comments for those who may read them, with the staff's button to hide one), and the
staff's setup before the survey opens. The project page shows the survey's section through
``project_survey`` (a template helper registered here, since projects sit below surveys).

Each view parses its form, calls one operation, commits, then redirects or re-renders with the refusal
beside the field (422).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock, pagecache, permissions
from ..extensions import db
from ..forms import attempt
from ..hosting.participants import days_of
from ..projects.queries import is_public
from . import operations, queries
from .forms import DimensionsForm, HideCommentForm, answer_form
from .models import SubjectKind, SurveyComment, SurveyStatus
from .results import chart_spec, comments_of, hidden_count

bp = Blueprint("surveys", __name__)


@bp.app_context_processor
def _survey_helpers():
    return {"project_survey": lambda project: queries.project_panel(project, current_user)}


def _visible_survey(survey_id: int):
    survey = queries.survey_page(survey_id)
    if survey.kind == SubjectKind.PROJECT and not is_public(survey.project):
        abort(404)
    return survey


# -- answering ------------------------------------------------------------------------------------------


def _answer_page(survey, form, status: int = 200):
    invited, answered = queries.standing(current_user, survey)
    return render_template(
        "surveys/answer.html",
        survey=survey,
        subject=operations.subject_title(survey),
        status=survey.status_at(clock.now()),
        invited=invited,
        answered=answered,
        not_invited=operations.not_invited_message(survey),
        form=form,
    ), status


@bp.get("/surveys/<int:survey_id>")
@login_required
def answer(survey_id: int):
    survey = _visible_survey(survey_id)
    return _answer_page(survey, answer_form(survey, formdata=None))


@bp.post("/surveys/<int:survey_id>")
@login_required
def submit(survey_id: int):
    survey = _visible_survey(survey_id)
    form = answer_form(survey)
    if attempt(form, lambda: operations.answer(current_user, survey, form.to_data())):
        flash(_("谢谢！你的评价已匿名提交。"), "success")
        return redirect(url_for(".answer", survey_id=survey_id))
    return _answer_page(survey, form, form.status_code)


# -- results --------------------------------------------------------------------------------------------


def _hide_prefix(comment_id: str) -> str:
    # Ends in "-" itself: a random id ending in "-" or "_" would otherwise get no separator from
    # WTForms, and the field's name would no longer be the one the page posted.
    return f"c{comment_id}-"


def _results_page(survey, hiding: tuple[str, HideCommentForm] | None = None):
    panel = queries.panel(survey, current_user)
    readable = panel.result is not None and permissions.can(current_user, "survey.read_comments", survey)
    comments = comments_of(survey) if readable else []
    may_hide = readable and permissions.can(current_user, "survey.hide_comment", survey)
    hide_forms = {
        c.id: HideCommentForm(formdata=None, prefix=_hide_prefix(c.id)) for c in comments if may_hide
    }
    if hiding is not None:
        hide_forms.update([hiding])
    return render_template(
        "surveys/results.html",
        survey=survey,
        subject=operations.subject_title(survey),
        panel=panel,
        comments=comments,
        readable=readable,
        hidden=hidden_count(survey) if may_hide else 0,
        hide_forms=hide_forms,
        chart=chart_spec(panel.result) if panel.result is not None else None,
    ), (422 if hiding is not None else 200)


@bp.get("/surveys/<int:survey_id>/results")
@pagecache.public
def results(survey_id: int):
    return _results_page(_visible_survey(survey_id))


@bp.post("/surveys/comments/<comment_id>/hide")
@login_required
def hide_comment(comment_id: str):
    comment = db.get_or_404(SurveyComment, comment_id)
    survey = _visible_survey(comment.survey_id)
    permissions.require(current_user, "survey.hide_comment", survey)  # 403 whatever was typed
    form = HideCommentForm(prefix=_hide_prefix(comment.id))
    if attempt(form, lambda: operations.hide_comment(current_user, comment, form.to_data())):
        flash(_("这条意见已隐藏，理由已记入操作日志。"), "success")
        return redirect(url_for(".results", survey_id=survey.id, _anchor="comments"))
    return _results_page(survey, hiding=(comment_id, form))


# -- the staff's setup ----------------------------------------------------------------------------------


@bp.route("/surveys/<int:survey_id>/setup", methods=["GET", "POST"])
@login_required
def setup(survey_id: int):
    survey = _visible_survey(survey_id)
    permissions.require(current_user, "survey.setup", survey)
    form = DimensionsForm(data=DimensionsForm.of(survey))
    if attempt(form, lambda: operations.set_dimensions(current_user, survey, form.to_data())):
        flash(_("评价维度已保存。"), "success")
        return redirect(url_for(".setup", survey_id=survey_id))
    return render_template(
        "surveys/setup.html",
        survey=survey,
        subject=operations.subject_title(survey),
        panel=queries.panel(survey, current_user),
        editable=survey.status == SurveyStatus.PREPARED,
        form=form,
        participant_days=days_of(survey.project) if survey.kind == SubjectKind.PROJECT else None,
    ), form.status_code
