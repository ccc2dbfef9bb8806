"""信息公开 pages: each union's charter with its history, announcements, the staff list (signed in),
and the suggestion box; the staff's drafts and the league reviewer's approval queue.

Each view parses its form, calls one operation, commits, then redirects or re-renders with the refusal
beside the field (422). A charter version or an announcement that is not published is a 404 to whoever
may not read drafts: to the public it does not exist.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..extensions import db, limiter
from ..forms import ActionForm, attempt, flash_refusal
from ..orgs.models import Organization
from . import operations, queries, suggestions
from .forms import AnnouncementForm, AnswerForm, CharterForm, PublicityForm, ReturnForm, SuggestionForm
from .models import AnnouncementKind, Suggestion

bp = Blueprint("disclosure", __name__, url_prefix="/disclosure")
KINDS = "any(charters, announcements)"
FORMS = {"charters": CharterForm, "announcements": AnnouncementForm}
EDITS = {"charters": operations.edit_charter, "announcements": operations.edit_announcement}


def _union_or_404(org_id: int) -> Organization:
    union = operations.union_or_none(org_id)
    if union is None:
        abort(404)
    return union


def _page(stmt):
    return db.paginate(stmt, per_page=queries.PER_PAGE, error_out=False)


def _union_filter() -> Organization | None:
    union_id = request.args.get("union", type=int)
    return operations.union_or_none(union_id) if union_id else None


# -- public -----------------------------------------------------------------------------------------------


@bp.get("")
def index():
    return render_template(
        "disclosure/index.html",
        unions=queries.unions(),
        announcements=db.session.scalars(queries.published_announcements().limit(5)).all(),
        suggestions=db.session.scalars(queries.public_suggestions().limit(5)).all(),
    )


@bp.get("/unions/<int:org_id>")
def charter(org_id: int):
    """The union's 章程 in force and every version published before it."""
    union = _union_or_404(org_id)
    history = queries.charter_history(union.id)
    return render_template(
        "disclosure/charter.html",
        union=union,
        current=history[0] if history and history[0].status == "published" else None,
        history=history,
        may_draft=permissions.can(current_user, "disclosure.draft", union),
    )


@bp.get("/announcements")
def announcements():
    union = _union_filter()
    kind = request.args.get("kind", "")
    page = _page(queries.published_announcements(union.id if union else None, kind))
    return render_template(
        "disclosure/announcements.html",
        page=page,
        union=union,
        kind=kind,
        kinds=list(AnnouncementKind),
        unions=queries.unions(),
    )


def _doc_or_404(kind: str, doc_id: int):
    doc = db.session.get(queries.DOCS[kind], doc_id)
    if doc is None or not (
        doc.status.is_public or permissions.can(current_user, "disclosure.read_drafts", doc)
    ):
        abort(404)
    return doc


def _show_page(kind: str, doc, *, form=None, return_form=None, status=200):
    may_draft = permissions.can(current_user, "disclosure.draft", doc)
    return render_template(
        "disclosure/show.html",
        kind=kind,
        doc=doc,
        union=doc.union,
        may_draft=may_draft and doc.status.is_editable,
        may_approve=permissions.can(current_user, "disclosure.approve", doc) and doc.status == "pending",
        form=form or (FORMS[kind](formdata=None, obj=doc) if may_draft else None),
        return_form=return_form or ReturnForm(formdata=None),
        action=ActionForm(formdata=None),
    ), status


@bp.get(f"/<{KINDS}:kind>/<int:doc_id>")
def show(kind: str, doc_id: int):
    return _show_page(kind, _doc_or_404(kind, doc_id))


@bp.get("/unions/<int:org_id>/staff")
@login_required
def staff(org_id: int):
    """工作人员名单: for the students, signed in; kept out of search engines."""
    union = _union_or_404(org_id)
    permissions.require(current_user, "disclosure.staff_list", union)
    page = _page(queries.staff_list(union))
    response = make_response(render_template("disclosure/staff.html", union=union, page=page))
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/suggestions")
def public_suggestions():
    union = _union_filter()
    return render_template(
        "disclosure/suggestions.html",
        page=_page(queries.public_suggestions(union.id if union else None)),
        union=union,
        unions=queries.unions(),
        may_write=permissions.can(current_user, "suggestion.write"),
    )


def _suggestion_or_404(suggestion_id: int) -> Suggestion:
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None or not (
        suggestion.is_public or permissions.can(current_user, "suggestion.view", suggestion)
    ):
        abort(404)
    return suggestion


def _suggestion_page(suggestion: Suggestion, *, form=None, status=200):
    return render_template(
        "disclosure/suggestion.html",
        suggestion=suggestion,
        # The author's name is for the union's staff only, never on the public page.
        may_moderate=permissions.can(current_user, "suggestion.moderate", suggestion),
        own=suggestion.author_id == getattr(current_user, "id", None),
        form=form or AnswerForm(formdata=None),
        publicity=PublicityForm(formdata=None, wants_public=suggestion.wants_public),
    ), status


@bp.get("/suggestions/<int:suggestion_id>")
def suggestion(suggestion_id: int):
    return _suggestion_page(_suggestion_or_404(suggestion_id))


# -- the suggestion box -----------------------------------------------------------------------------------


def _posted(response) -> bool:
    return response.status_code == 302


def _author_key() -> str:
    return f"suggestion:{getattr(current_user, 'id', None)}"


@bp.route("/suggestions/new", methods=["GET", "POST"])
@login_required
@limiter.limit(
    lambda: current_app.config["SUGGESTION_LIMIT_PER_STUDENT"],
    methods=["POST"],
    deduct_when=_posted,
    key_func=_author_key,
    scope="suggestion-author",
)
def write_suggestion():
    permissions.require(current_user, "suggestion.write")
    form = SuggestionForm(unions=queries.unions())
    if request.method == "GET" and (union := _union_filter()):
        form.union.data = union.id
    if done := attempt(form, lambda: suggestions.write(current_user, form.to_data())):
        flash(_("意见建议已提交，学生会答复后你会收到通知。"), "success")
        return redirect(done.result.url)
    return render_template("disclosure/write.html", form=form), form.status_code


@bp.get("/suggestions/mine")
@login_required
def my_suggestions():
    return render_template("disclosure/mine.html", page=_page(queries.own_suggestions(current_user)))


@bp.post("/suggestions/<int:suggestion_id>/answer")
@login_required
def answer(suggestion_id: int):
    suggestion = _suggestion_or_404(suggestion_id)
    form = AnswerForm()
    if attempt(form, lambda: suggestions.answer(current_user, suggestion, form.to_data())):
        flash(_("已答复，提出人会收到通知。"), "success")
        return redirect(suggestion.url)
    return _suggestion_page(suggestion, form=form, status=form.status_code)


@bp.post("/suggestions/<int:suggestion_id>/publicity")
@login_required
def publicity(suggestion_id: int):
    suggestion = _suggestion_or_404(suggestion_id)
    form = PublicityForm()
    if attempt(form, lambda: suggestions.set_public(current_user, suggestion, form.to_data())):
        flash(_("已保存你的选择。"), "success")
    else:
        flash_refusal(form)
    return redirect(suggestion.url)


@bp.get("/unions/<int:org_id>/suggestions")
@login_required
def union_suggestions(org_id: int):
    """Every suggestion to the union, with its author: for its staff to answer."""
    union = _union_or_404(org_id)
    permissions.require(current_user, "suggestion.moderate", union)
    status = request.args.get("status", "")
    page = _page(queries.union_suggestions(union, status))
    return render_template("disclosure/union_suggestions.html", union=union, page=page, status=status)


# -- the staff's drafts -----------------------------------------------------------------------------------


@bp.get("/unions/<int:org_id>/desk")
@login_required
def desk(org_id: int):
    """What the union's staff have not yet published: drafts, submissions, returned ones."""
    union = _union_or_404(org_id)
    permissions.require(current_user, "disclosure.read_drafts", union)
    return render_template(
        "disclosure/desk.html",
        union=union,
        docs={kind: queries.unpublished(model, union_id=union.id) for kind, model in queries.DOCS.items()},
        may_draft=permissions.can(current_user, "disclosure.draft", union),
    )


@bp.route("/unions/<int:org_id>/charter/new", methods=["GET", "POST"])
@login_required
def new_charter(org_id: int):
    union = _union_or_404(org_id)
    permissions.require(current_user, "disclosure.draft", union)
    current = operations.published_charter(union.id)
    form = CharterForm(data={"body": current.body if current else ""})
    if done := attempt(form, lambda: operations.draft_charter(current_user, union, form.to_data())):
        flash(_("章程草稿已保存。确认无误后请提交团委审核。"), "success")
        return redirect(done.result.url)
    return render_template("disclosure/edit.html", kind="charters", union=union, form=form), form.status_code


@bp.route("/unions/<int:org_id>/announcements/new", methods=["GET", "POST"])
@login_required
def new_announcement(org_id: int):
    union = _union_or_404(org_id)
    permissions.require(current_user, "disclosure.draft", union)
    form = AnnouncementForm()
    if done := attempt(form, lambda: operations.draft_announcement(current_user, union, form.to_data())):
        flash(_("公告草稿已保存。确认无误后请提交团委审核。"), "success")
        return redirect(done.result.url)
    return render_template(
        "disclosure/edit.html", kind="announcements", union=union, form=form
    ), form.status_code


@bp.post(f"/<{KINDS}:kind>/<int:doc_id>/edit")
@login_required
def edit(kind: str, doc_id: int):
    doc = _doc_or_404(kind, doc_id)
    form = FORMS[kind]()
    if attempt(form, lambda: EDITS[kind](current_user, doc, form.to_data())):
        flash(_("已保存。"), "success")
        return redirect(doc.url)
    return _show_page(kind, doc, form=form, status=form.status_code)


@bp.post(f"/<{KINDS}:kind>/<int:doc_id>/submit")
@login_required
def submit(kind: str, doc_id: int):
    doc = _doc_or_404(kind, doc_id)
    form = ActionForm()
    if attempt(form, lambda: operations.submit(current_user, doc)):
        flash(_("已提交团委审核，审核通过后即公开发布。"), "success")
    else:
        flash_refusal(form)
    return redirect(doc.url)


# -- the league reviewer ----------------------------------------------------------------------------------


@bp.get("/review")
@login_required
def review():
    """待审核的信息公开: what the unions submitted for publication."""
    permissions.require(current_user, "disclosure.approve")
    return render_template("disclosure/review.html", queue=queries.review_queue())


@bp.post(f"/<{KINDS}:kind>/<int:doc_id>/approve")
@login_required
def approve(kind: str, doc_id: int):
    doc = _doc_or_404(kind, doc_id)
    form = ActionForm()
    if attempt(form, lambda: operations.approve(current_user, doc)):
        flash(_("审核通过，已公开发布。"), "success")
        return redirect(url_for(".review"))
    flash_refusal(form)
    return redirect(doc.url)


@bp.post(f"/<{KINDS}:kind>/<int:doc_id>/return")
@login_required
def return_(kind: str, doc_id: int):
    doc = _doc_or_404(kind, doc_id)
    form = ReturnForm()
    if attempt(form, lambda: operations.return_(current_user, doc, form.to_data())):
        flash(_("已退回，起草人会看到退回理由。"), "success")
        return redirect(url_for(".review"))
    return _show_page(kind, doc, return_form=form, status=form.status_code)
