"""Project pages (发榜): the public list and project page, posting and editing, the buttons that move a
project along its lifecycle, Q&A, the staff dashboard and the league reviewer's queue.

Each view parses its form, calls one operation, commits, then redirects or re-renders with the refusal
beside the field (status 422). Bid pages live in the bids area (linked with url_for).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from .. import pagecache, permissions, settings
from ..errors import Conflict
from ..evaluation.queries import final_of, finals_of, latest_improvements
from ..extensions import db
from ..formatting import local_datetime
from ..forms import ActionForm, Form, attempt, flash_refusal
from . import lifecycle, operations, queries
from .forms import (
    AnswerForm,
    NewProjectForm,
    ProjectFilter,
    ProjectForm,
    QuestionForm,
    ReasonForm,
    StaffFilter,
)
from .models import FIELD_LABELS, Project, ProjectCategory, ProjectState, Question

bp = Blueprint("projects", __name__)

# How the public timeline names each step of the lifecycle.
TIMELINE_LABELS = {
    "project.submit": _l("提交校团委审核"),
    "project.approve": _l("校团委审核通过，正式发布"),
    "project.return": _l("校团委退回修改"),
    "project.publish": _l("正式发布，开始竞标"),
    "project.close_bidding": _l("竞标截止，进入评标"),
    "project.fail": _l("竞标截止，没有有效标书，流标"),
    "project.award": _l("公示评标结果"),
    "project.uphold_objection": _l("异议成立，重新评标"),
    "project.pass_award": _l("中标方放弃，依次递补"),
    "project.fail_after_decline": _l("中标方放弃且无可递补标书，流标"),
    "project.start_hosting": _l("公示期满，开始承办"),
    "project.complete": _l("提交结项报告，进入评价"),
    "project.close": _l("评价完成，项目结项"),
    "project.cancel": _l("项目取消"),
    "project.request_cancel": _l("申请取消，等待校团委批准"),
    "project.approve_cancel": _l("校团委批准取消"),
    "project.repost": _l("由流标项目重新发榜"),
}

LONG_TEXT_FIELDS = {"description", "expected_outcomes"}


def _shown_value(name: str, value) -> str:
    """A recorded before/after value as people read it (the record keeps plain JSON)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if name == "bid_deadline":
        return local_datetime(datetime.fromisoformat(value))
    if name in ("hosting_starts_on", "hosting_ends_on"):
        return date.fromisoformat(value).isoformat()
    if name == "budget_cap":
        return _("%(amount)s 元", amount=Decimal(value).quantize(Decimal("0.01")))
    if name == "category":
        return ProjectCategory(value).label
    if name == "criteria":
        return _("；").join(f"{c['name']} {c['weight']}%" for c in value)
    return str(value)


def change_lines(changes: dict) -> list[dict]:
    return [
        {
            "label": FIELD_LABELS.get(name, name),
            "before": _shown_value(name, before),
            "after": _shown_value(name, after),
            "long": name in LONG_TEXT_FIELDS,
        }
        for name, (before, after) in changes.items()
    ]


def _back(form: Form, target: str, done: str | None = None):
    """After a button: say on the page it came from what happened, or why not."""
    if done is not None:
        flash(done, "success")
    flash_refusal(form)
    return redirect(target)


def _back_to_project(project: Project, form: Form, done: str | None = None):
    return _back(form, project.url, done)


def _visible_project(project_id: int) -> Project:
    """The project if this user may see it: drafts and projects awaiting approval are not public. With
    its union, host, credit category and criteria, which every project page shows."""
    project = db.get_or_404(
        Project,
        project_id,
        options=[
            joinedload(Project.union),
            joinedload(Project.host_org),
            joinedload(Project.credit_category),
            joinedload(Project.criteria),
        ],
    )
    if not queries.is_public(project) and not permissions.can(
        current_user, "project.view_unpublished", project
    ):
        abort(404)
    return project


# -- the public list and page --------------------------------------------------------------------------


@bp.get("/projects")
@pagecache.public
def index():
    filters = ProjectFilter(formdata=request.args)
    page = queries.paginate_rows(queries.public_projects(**filters.values()))
    # 信息公开: a closed project shows its final score in the list too.
    closed = [project.id for project, state in page.items if state == ProjectState.CLOSED]
    return render_template("projects/index.html", page=page, filters=filters, finals=finals_of(closed))


def _project_page(
    project: Project,
    *,
    question_form: QuestionForm | None = None,
    answering: tuple[int, AnswerForm] | None = None,
    cancel_form: ReasonForm | None = None,
    request_cancel_form: ReasonForm | None = None,
):
    can_answer = permissions.can(current_user, "project.answer", project)
    questions = queries.questions_of(project, with_unanswered=can_answer)
    # One form per unanswered question, each with its own prefix so field ids stay unique on the page.
    answer_forms = {q.id: AnswerForm(formdata=None, prefix=f"q{q.id}") for q in questions if q.answer is None}
    if answering is not None:
        answer_forms.update([answering])
    state = lifecycle.effective_state(project)
    # A repost starts as a draft: linked for those who may see it, and for everyone once published.
    reposts = [
        repost
        for repost in (queries.reposts_of(project) if state == ProjectState.FAILED else [])
        if queries.is_public(repost) or permissions.can(current_user, "project.view_unpublished", repost)
    ]
    return render_template(
        "projects/show.html",
        project=project,
        state=state,
        editable=state in operations.EDITABLE_STATES,
        cancellable=state in lifecycle.TRANSITIONS["cancel"].sources,
        cancel_requestable=state in lifecycle.TRANSITIONS["request_cancel"].sources,
        is_major=project.is_major,
        questions=questions,
        answer_forms=answer_forms,
        can_answer=can_answer,
        questions_close_at=operations.questions_close_at(project),
        changes=[(change, change_lines(change.changes)) for change in queries.changes_of(project)],
        timeline=queries.timeline_of(project),
        served_shown=queries.SERVED_SHOWN,
        final=final_of(project) if state == ProjectState.CLOSED else None,
        reposts=reposts,
        timeline_labels=TIMELINE_LABELS,
        bid_count=queries.bid_count(project),
        question_form=question_form or _blank(QuestionForm),
        cancel_form=cancel_form or _blank(ReasonForm),
        request_cancel_form=request_cancel_form or _blank(ReasonForm),
    )


def _blank(form_class):
    """An empty form for the signed-in; none for an anonymous visitor, who can use none of them and
    whose page must hold nothing of theirs: building a form puts a CSRF token in the session, and the
    page would no longer be the one the public page cache serves everyone."""
    return form_class(formdata=None) if current_user.is_authenticated else None


@bp.get("/projects/<int:project_id>")
@pagecache.public
def show(project_id: int):
    return _project_page(_visible_project(project_id))


# -- posting and editing -------------------------------------------------------------------------------


def _improvements_by_category() -> dict:
    """整改: the latest projects of each category that fell below the line, with their plans, for staff
    posting the next one (the form shows the category chosen; static/js/app.js follows the choice)."""
    return latest_improvements(Project.category)


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def new():
    permissions.require(current_user, "project.post")
    form = NewProjectForm(current_user, data=ProjectForm.initial() if request.method == "GET" else None)
    if created := attempt(form, lambda: operations.create_draft(current_user, form.to_data())):
        flash(_("草稿已保存。核对无误后即可发布。"), "success")
        return redirect(created.result.url)
    form.pad_criteria()
    return render_template(
        "projects/edit.html", form=form, project=None, improvements=_improvements_by_category()
    ), form.status_code


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    project = db.get_or_404(Project, project_id)
    permissions.require(current_user, "project.edit", project)
    state = lifecycle.effective_state(project)
    if state not in operations.EDITABLE_STATES:
        flash(_("项目处于「%(state)s」阶段，不能再修改。", state=state.label), "warning")
        return redirect(project.url)
    form = ProjectForm(data=ProjectForm.of(project) if request.method == "GET" else None)
    saved = attempt(form, lambda: operations.update_project(current_user, project, form.to_data()))
    if saved:
        flash(_("项目已保存。"), "success")
        return redirect(project.url)
    if isinstance(saved.error, Conflict):
        # The user has been told and keeps what they typed; saving again from here is their call.
        form.version.data = project.version
    form.pad_criteria()
    return (
        render_template(
            "projects/edit.html",
            form=form,
            project=project,
            state=state,
            change_min_days=settings.get("change_min_days"),
            improvements=_improvements_by_category(),
        ),
        form.status_code,
    )


# -- lifecycle buttons ---------------------------------------------------------------------------------


@bp.post("/projects/<int:project_id>/publish")
@login_required
def publish(project_id: int):
    project = db.get_or_404(Project, project_id)
    form = ActionForm()
    if not attempt(form, lambda: operations.publish(current_user, project)):
        return _back_to_project(project, form)
    if project.state == ProjectState.PENDING_APPROVAL:
        done = _("这是重大项目，已提交校团委审核；审核通过后自动发布。")
    else:
        done = _("项目已发布，开始接受竞标。")
    return _back_to_project(project, form, done)


@bp.post("/projects/<int:project_id>/cancel")
@login_required
def cancel(project_id: int):
    project = _visible_project(project_id)
    form = ReasonForm()
    if attempt(form, lambda: lifecycle.apply(project, "cancel", current_user, **form.to_data())):
        return _back_to_project(project, form, _("项目已取消。"))
    return _project_page(project, cancel_form=form), 422


@bp.post("/projects/<int:project_id>/request-cancel")
@login_required
def request_cancel(project_id: int):
    project = _visible_project(project_id)
    form = ReasonForm()
    if attempt(form, lambda: lifecycle.apply(project, "request_cancel", current_user, **form.to_data())):
        return _back_to_project(project, form, _("取消申请已提交，等待校团委批准。"))
    return _project_page(project, request_cancel_form=form), 422


@bp.post("/projects/<int:project_id>/approve-cancel")
@login_required
def approve_cancel(project_id: int):
    project = db.get_or_404(Project, project_id)
    form = ActionForm()
    done = attempt(form, lambda: lifecycle.apply(project, "approve_cancel", current_user))
    return _back(
        form, url_for(".approvals"), _("已批准取消「%(title)s」。", title=project.title) if done else None
    )


@bp.post("/projects/<int:project_id>/repost")
@login_required
def repost(project_id: int):
    project = db.get_or_404(Project, project_id)
    form = ActionForm()
    if not (copied := attempt(form, lambda: operations.repost(current_user, project))):
        return _back_to_project(project, form)
    flash(_("已按原项目生成新的草稿，请调整截止时间和承办期后发布。"), "success")
    return redirect(url_for(".edit", project_id=copied.result.id))


# -- Q&A -----------------------------------------------------------------------------------------------


@bp.post("/projects/<int:project_id>/questions")
@login_required
def ask(project_id: int):
    project = _visible_project(project_id)
    form = QuestionForm()
    if attempt(form, lambda: operations.ask_question(current_user, project, form.to_data())):
        flash(_("问题已提交。答复会公开在本页，不会显示你的名字。"), "success")
        return redirect(url_for(".show", project_id=project.id, _anchor="qa"))
    return _project_page(project, question_form=form), 422


@bp.post("/projects/<int:project_id>/questions/<int:question_id>/answer")
@login_required
def answer(project_id: int, question_id: int):
    project = _visible_project(project_id)
    question = db.get_or_404(Question, question_id)
    if question.project_id != project.id:
        abort(404)
    form = AnswerForm(prefix=f"q{question.id}")
    if attempt(form, lambda: operations.answer_question(current_user, question, form.to_data())):
        flash(_("答复已公开。"), "success")
        return redirect(url_for(".show", project_id=project.id, _anchor="qa"))
    return _project_page(project, answering=(question.id, form)), 422


# -- staff dashboard -----------------------------------------------------------------------------------


@bp.get("/staff")
@login_required
def staff():
    permissions.require(current_user, "project.post")
    union_ids = permissions.staff_union_ids(current_user)
    filters = StaffFilter(formdata=request.args)
    counts = queries.union_state_counts(union_ids)
    page = queries.union_projects(union_ids, counts, **filters.values(), per_page=50)
    unanswered = queries.unanswered_on_open(page.items)
    return render_template(
        "projects/staff.html",
        page=page,
        filters=filters,
        counts=counts,
        states=list(ProjectState),
        editable_states=operations.EDITABLE_STATES,
        unanswered=unanswered,
    )


# -- the league reviewer's queue -----------------------------------------------------------------------


def _return_form(project_id: int, **kwargs) -> ReasonForm:
    # Prefixed per project: the queue shows one return form per project.
    return ReasonForm(prefix=f"p{project_id}", **kwargs)


def _approvals_page(returning: tuple[int, ReasonForm] | None = None):
    page = db.paginate(queries.awaiting_approval(), per_page=queries.PER_PAGE, error_out=False)
    return_forms = {project.id: _return_form(project.id, formdata=None) for project in page.items}
    if returning is not None:
        return_forms.update([returning])
    return render_template(
        "projects/approvals.html",
        page=page,
        return_forms=return_forms,
        threshold=Decimal(str(settings.get("major_budget_threshold"))),
        cancels=queries.awaiting_cancel_approval(),
        changes=[
            (change, title, change_lines(change.changes)) for change, title in queries.recent_major_changes()
        ],
    )


@bp.get("/review/approvals")
@login_required
def approvals():
    permissions.require(current_user, "project.review_queue")
    return _approvals_page()


@bp.post("/projects/<int:project_id>/approve")
@login_required
def approve(project_id: int):
    project = db.get_or_404(Project, project_id)
    form = ActionForm()
    done = attempt(form, lambda: operations.approve(current_user, project))
    return _back(
        form,
        url_for(".approvals"),
        _("「%(title)s」已审核通过并发布。", title=project.title) if done else None,
    )


@bp.post("/projects/<int:project_id>/return")
@login_required
def return_(project_id: int):
    project = db.get_or_404(Project, project_id)
    permissions.require(current_user, "project.review_queue")  # a refusal shows the queue again
    form = _return_form(project.id)
    if attempt(form, lambda: lifecycle.apply(project, "return", current_user, **form.to_data())):
        flash(_("已退回「%(title)s」，发榜方会收到退回理由。", title=project.title), "success")
        return redirect(url_for(".approvals"))
    return _approvals_page(returning=(project.id, form)), 422
