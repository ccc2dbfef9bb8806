"""需求征集 pages: the public pool (/needs) and a need's page, posting a need (rate-limited per student),
supporting and commenting, a student's own needs, the staff's answering queue and answers (采纳 — or
发榜 from the need on the prefilled posting form —, 合并, 不采纳), transfer and hiding, and the league's
appeals. No page shows who wrote a need or a comment but to ``need.view_private``.

Each view parses its form, calls one operation, commits, then redirects or re-renders with the refusal
beside the field (422).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import clock, pagecache, permissions, storage
from ..extensions import db, limiter
from ..forms import ActionForm, attempt
from ..hosting.operations import photo_key
from ..projects.forms import NewProjectForm
from ..projects.queries import paginate_rows
from . import operations, queries
from .forms import (
    AcceptForm,
    AppealForm,
    CommentForm,
    MergeForm,
    NeedFilter,
    NeedForm,
    ReasonForm,
    RulingForm,
    project_initial,
)
from .models import Need, NeedComment, NeedPhoto, NeedStatus
from .rules import is_author

bp = Blueprint("needs", __name__, url_prefix="/needs")


@bp.app_context_processor
def _need_helpers():
    # The staff dashboard says how many needs are overdue: projects sit below needs, so the helper
    # comes from here.
    return {"overdue_needs": lambda: queries.overdue_for(current_user)}


# -- the pool --------------------------------------------------------------------------------------------


@bp.get("")
@pagecache.public
def index():
    filters = NeedFilter(formdata=request.args)
    page = paginate_rows(queries.listing(**filters.values()), per_page=queries.PER_PAGE)
    return render_template(
        "needs/index.html",
        page=page,
        filters=filters,
        may_post=permissions.can(current_user, "need.post"),
    )


def _post_key() -> str:
    return f"need-post:{current_user.id}"  # signed in: login_required runs first


@bp.route("/new", methods=["GET", "POST"])
@login_required
# Only needs actually posted count: a refused form (too long, no category) costs nothing.
@limiter.limit(
    lambda: current_app.config["NEED_POST_LIMIT"],
    methods=["POST"],
    key_func=_post_key,
    deduct_when=lambda response: response.status_code == 302,
    scope="need-post",
)
def new():
    form = NeedForm()
    if posted := attempt(form, lambda: operations.post_need(current_user, form.to_data())):
        flash(_("需求已发布。其他同学看不到你的姓名；有了答复会通知你。"), "success")
        return redirect(posted.result.url)
    may_post = permissions.can(current_user, "need.post")
    # One who may not post is told why on the page (a graduate's read-only account, a teacher's).
    status = form.status_code if may_post or request.method == "POST" else 403
    return render_template("needs/new.html", form=form, may_post=may_post), status


@bp.get("/mine")
@login_required
def mine():
    page = db.paginate(queries.mine(current_user), per_page=queries.PER_PAGE, error_out=False)
    return render_template(
        "needs/mine.html", page=page, authored=queries.authored_ids(current_user, page.items)
    )


# -- a need -------------------------------------------------------------------------------------------


def _need_page(need: Need, status: int = 200, hiding: tuple[int, ReasonForm] | None = None, **forms):
    """The need's page; ``forms`` a refused form by its name, ``hiding`` a refused comment hiding (the
    comment's id and its form)."""
    private = permissions.can(current_user, "need.view_private", need)
    own = is_author(current_user, need)
    may_answer = permissions.can(current_user, "need.answer", need)
    blank = {
        "comment_form": lambda: CommentForm(formdata=None),
        "decline_form": lambda: ReasonForm(formdata=None, prefix="decline-"),
        "hide_form": lambda: ReasonForm(formdata=None, prefix="hide-"),
        "merge_form": lambda: MergeForm(formdata=None),
        "appeal_form": lambda: AppealForm(formdata=None),
        "action_form": lambda: ActionForm(formdata=None),
    }
    if may_answer and need.status == NeedStatus.OPEN:
        blank["accept_form"] = lambda: AcceptForm(
            formdata=None, projects=operations.answerable_projects(need)
        )
    # Forms only for the signed-in: building one puts a CSRF token in an anonymous visitor's session.
    built = (
        {name: forms.get(name) or make() for name, make in blank.items()}
        if current_user.is_authenticated
        else {}
    )
    return render_template(
        "needs/show.html",
        need=need,
        private=private,
        own=own,
        may_answer=may_answer,
        supported=queries.supports(current_user, need),
        comments=queries.comments_of(need, with_authors=private),
        merged_here=queries.merged_here(need),
        now=clock.now(),
        # The refused form's own messages (not beside a field) go at the top: the form may be one the
        # page does not show this user (staff of another union).
        refused=next(iter(forms.values()), None) or (hiding[1] if hiding else None),
        hiding=hiding or (None, None),
        **built,
    ), status


@bp.get("/<int:need_id>")
@pagecache.public
def show(need_id: int):
    return _need_page(queries.need_page(need_id))


def _act(need_id: int, form, operation, done: str, name: str = "action_form"):
    """A form on the need's page: on success back to the page with ``done``, else the page again with
    the refusal beside the form (422)."""
    need = queries.need_page(need_id)
    if attempt(form, lambda: operation(need)):
        flash(done, "success")
        return redirect(need.url)
    return _need_page(queries.need_page(need_id), 422, **{name: form})


@bp.post("/<int:need_id>/support")
@login_required
def support(need_id: int):
    form = ActionForm()
    return _act(need_id, form, lambda need: operations.support(current_user, need), _("已支持。谢谢你！"))


@bp.post("/<int:need_id>/comments")
@login_required
def comment(need_id: int):
    form = CommentForm()
    return _act(
        need_id,
        form,
        lambda need: operations.comment(current_user, need, form.to_data()),
        _("评论已发表。"),
        "comment_form",
    )


@bp.post("/<int:need_id>/accept")
@login_required
def accept(need_id: int):
    need = queries.need_page(need_id)
    form = AcceptForm(projects=operations.answerable_projects(need))
    return _act(
        need_id,
        form,
        lambda n: operations.accept(current_user, n, form.to_data()),
        _("已采纳，支持者会收到通知。"),
        "accept_form",
    )


@bp.post("/<int:need_id>/merge")
@login_required
def merge(need_id: int):
    form = MergeForm()
    return _act(
        need_id,
        form,
        lambda need: operations.merge(current_user, need, form.to_data()),
        _("已合并，支持已计入目标需求。"),
        "merge_form",
    )


@bp.post("/<int:need_id>/decline")
@login_required
def decline(need_id: int):
    form = ReasonForm(prefix="decline-")
    return _reason_act(
        need_id, form, operations.decline, _("已答复不采纳，支持者会收到通知。"), "decline_form"
    )


@bp.post("/<int:need_id>/hide")
@login_required
def hide(need_id: int):
    form = ReasonForm(prefix="hide-")
    return _reason_act(need_id, form, operations.hide, _("需求已隐藏，理由会显示在原位置。"), "hide_form")


def _reason_act(need_id: int, form, operation, done: str, name: str):
    return _act(need_id, form, lambda need: operation(current_user, need, form.to_data()), done, name)


@bp.post("/<int:need_id>/transfer")
@login_required
def transfer(need_id: int):
    form = ActionForm()
    return _act(
        need_id,
        form,
        lambda need: operations.transfer(current_user, need),
        _("需求已转交，由对方学生会答复。"),
    )


@bp.post("/<int:need_id>/appeal")
@login_required
def appeal(need_id: int):
    form = AppealForm()
    return _act(
        need_id,
        form,
        lambda need: operations.appeal(current_user, need, form.to_data()),
        _("申诉已提交，校团委审核人处理后会通知你。"),
        "appeal_form",
    )


@bp.post("/comments/<int:comment_id>/hide")
@login_required
def hide_comment(comment_id: int):
    note = db.get_or_404(NeedComment, comment_id)
    # Each comment's hiding form has its own prefix, so the page shows a refusal under the right one.
    form = ReasonForm(prefix=f"c{note.id}-")
    if attempt(form, lambda: operations.hide_comment(current_user, note, form.to_data())):
        flash(_("评论已隐藏。"), "success")
        return redirect(url_for(".show", need_id=note.need_id, _anchor="comments"))
    return _need_page(queries.need_page(note.need_id), 422, hiding=(note.id, form))


@bp.route("/<int:need_id>/project", methods=["GET", "POST"])
@login_required
def post_project(need_id: int):
    """发榜 from a need: the project posting form, prefilled from the need; saving it accepts the need."""
    need = queries.need_page(need_id)
    permissions.require(current_user, "need.answer", need)
    form = NewProjectForm(current_user, data=project_initial(need) if request.method == "GET" else None)
    if created := attempt(form, lambda: operations.post_project(current_user, need, form.to_data())):
        flash(_("草稿已保存，需求已采纳。核对无误后即可发布，支持者会在发布时收到通知。"), "success")
        return redirect(created.result.url)
    form.pad_criteria()
    return render_template(
        "projects/edit.html", form=form, project=None, improvements={}, need=need
    ), form.status_code


@bp.get("/photos/<public_id>")
def photo(public_id: str):
    """A need's photo: public like the need, unless it is hidden."""
    found = db.session.execute(
        select(NeedPhoto, Need)
        .join(Need, Need.id == NeedPhoto.need_id)
        .where(NeedPhoto.public_id == public_id)
    ).first()
    if found is None:
        abort(404)
    hidden = found.Need.status == NeedStatus.HIDDEN
    if hidden and not (
        permissions.can(current_user, "need.view_private", found.Need) or is_author(current_user, found.Need)
    ):
        abort(404)
    return storage.send(
        photo_key(found.NeedPhoto.stored_name),
        name=f"need-{public_id}.jpg",
        fallback=f"need-{public_id}.jpg",
        mimetype="image/jpeg",
        inline=True,
        private=hidden,
        max_age=0 if hidden else 3600,
    )


# -- staff and league ------------------------------------------------------------------------------------


@bp.get("/staff")
@login_required
def staff():
    """需求答复: the open needs of the staff member's unions, the one due first at the top."""
    union_ids = permissions.staff_union_ids(current_user)
    if not union_ids:
        abort(403)
    page = db.paginate(queries.union_queue(union_ids), per_page=50, error_out=False)
    return render_template("needs/staff.html", page=page, now=clock.now())


@bp.get("/appeals")
@login_required
def appeals():
    permissions.require(current_user, "need.rule_appeal")
    return _appeals_page()


def _appeals_page(ruling: tuple[int, RulingForm] | None = None, status: int = 200):
    records = queries.pending_appeals()
    forms = {r.id: RulingForm(formdata=None, prefix=f"a{r.id}-") for r in records}
    if ruling is not None:
        forms[ruling[0]] = ruling[1]
    return render_template("needs/appeals.html", appeals=records, forms=forms), status


@bp.post("/appeals/<int:appeal_id>")
@login_required
def rule_appeal(appeal_id: int):
    record = queries.appeal_or_404(appeal_id)
    form = RulingForm(prefix=f"a{appeal_id}-")
    if attempt(form, lambda: operations.rule_appeal(current_user, record, form.to_data())):
        flash(_("申诉已处理，已通知需求的发布者。"), "success")
        return redirect(url_for(".appeals"))
    return _appeals_page((appeal_id, form), 422)
