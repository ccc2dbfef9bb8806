"""Bid pages (竞标): write a bid, read it with its revisions and attachments, confirm or withdraw it;
"my organizations' bids"; and, once bidding has closed, a project's bids for those overseeing it.

Bids are sealed (bids/visibility.py): whoever may not see a bid gets 404, exactly as if it did not
exist, so a bid's URL reveals nothing to a rival or to staff before the deadline.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import permissions
from ..accounts.models import User
from ..errors import Conflict
from ..extensions import db
from ..forms import ActionForm, attempt
from ..orgs.models import BIDDER_KINDS, MemberRole, Organization
from ..orgs.operations import current_members
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from ..projects.queries import paginate_rows
from . import files, operations, queries
from .forms import AttachmentForm, BidForm
from .models import Bid, BidAttachment, BidRevision

bp = Blueprint("bids", __name__)

PER_PAGE = 20


def _bid_or_404(public_id: str) -> Bid:
    """The bid, if the signed-in user may see it; otherwise 404, whether or not it exists."""
    bid = db.session.scalar(
        select(Bid).where(Bid.public_id == public_id).options(joinedload(Bid.project), joinedload(Bid.org))
    )
    if bid is None or not permissions.can(current_user, "bid.view", bid):
        abort(404)
    return bid


def _bidder_orgs() -> list[Organization]:
    """Active organizations of a bidding kind that the signed-in user manages."""
    orgs = {
        m.org
        for m in permissions.active_memberships(current_user)
        if m.role == MemberRole.MANAGER and m.org.kind in BIDDER_KINDS
    }
    return sorted(orgs, key=lambda org: (org.kind, org.name))


def _chosen_org(project: Project, orgs: list[Organization]) -> Organization:
    """The organization named by ``?org=``, else the first one the project admits."""
    wanted = request.args.get("org", type=int)
    if wanted is not None:
        return next((org for org in orgs if org.id == wanted), None) or abort(404)
    return next((org for org in orgs if project.admits(org.kind)), orgs[0])


def _names(user_ids) -> list[str]:
    if not user_ids:
        return []
    return db.session.scalars(select(User.name).where(User.id.in_(list(user_ids))).order_by(User.name)).all()


def _bidding_open(project: Project) -> bool:
    return lifecycle.effective_state(project) == ProjectState.OPEN


@bp.route("/projects/<int:project_id>/bid", methods=["GET", "POST"])
@login_required
def submit(project_id: int):
    """Write or edit the bid of one organization the user manages."""
    project = db.get_or_404(Project, project_id)
    if project.published_at is None:
        abort(404)  # drafts and projects awaiting approval are not public yet
    orgs = _bidder_orgs()
    if not orgs:
        abort(403)
    org = _chosen_org(project, orgs)
    bid = queries.bid_of(project, org.id)
    # The saved bid fills the form only when it is opened: a submitted form is exactly what was sent
    # (a missing version must not silently become the latest one).
    form = BidForm(
        obj=bid if request.method == "GET" else None,
        members=current_members(org),
        budget_cap=project.budget_cap,
    )
    latest = None  # after a conflict: the saved bid, shown beside what the user typed
    saved = attempt(form, lambda: operations.submit_bid(current_user, project, org, form.to_data()))
    if saved:
        bid = saved.result
        flash(_("标书已保存（第 %(n)s 版）。截止前仍可修改或撤回。", n=len(bid.revisions)), "success")
        return redirect(bid.url)
    if isinstance(saved.error, Conflict) and (latest := queries.bid_of(project, org.id)) is not None:
        form.version.data = latest.version  # saving again, after comparing, is deliberate
    return render_template(
        "bids/edit.html",
        form=form,
        project=project,
        org=org,
        orgs=orgs,
        bid=bid,
        latest=latest,
        latest_team=_names(latest.team) if latest else [],
        bidding_open=_bidding_open(project),
    ), (409 if latest is not None else form.status_code)


def _render_show(bid: Bid, *, action_form=None, attachment_form=None, status: int = 200):
    return render_template(
        "bids/show.html",
        bid=bid,
        project=bid.project,
        team=_names(bid.team),
        revision_count=len(bid.revisions),
        action_form=action_form or ActionForm(formdata=None),
        attachment_form=attachment_form or AttachmentForm(formdata=None),
        bidding_open=_bidding_open(bid.project),
    ), status


@bp.get("/bids/<public_id>")
@login_required
def show(public_id: str):
    return _render_show(_bid_or_404(public_id))


def _act(bid: Bid, operation, done: str):
    """Run a button's operation on ``bid``: commit and go back to the bid, or show why not."""
    form = ActionForm()
    if attempt(form, operation):
        flash(done, "success")
        return redirect(bid.url)
    return _render_show(bid, action_form=form, status=422)


@bp.post("/bids/<public_id>/confirm")
@login_required
def confirm(public_id: str):
    bid = _bid_or_404(public_id)
    return _act(bid, lambda: operations.confirm_bid(current_user, bid), _("已确认标书，它在截止时有效。"))


@bp.post("/bids/<public_id>/withdraw")
@login_required
def withdraw(public_id: str):
    bid = _bid_or_404(public_id)
    return _act(
        bid, lambda: operations.withdraw_bid(current_user, bid), _("标书已撤回。截止前可以重新提交。")
    )


@bp.post("/bids/<public_id>/attachments")
@login_required
def upload(public_id: str):
    bid = _bid_or_404(public_id)
    form = AttachmentForm()
    if added := attempt(form, lambda: operations.add_attachment(current_user, bid, form.to_data())):
        flash(_("已上传附件「%(name)s」。", name=added.result.filename), "success")
        return redirect(url_for(".show", public_id=bid.public_id, _anchor="attachments"))
    return _render_show(bid, attachment_form=form, status=form.status_code)


def _attachment_or_404(public_id: str) -> BidAttachment:
    attachment = db.session.scalar(
        select(BidAttachment).where(BidAttachment.public_id == public_id, BidAttachment.removed_at.is_(None))
    )
    if attachment is None or not permissions.can(current_user, "bid.view", attachment.bid):
        abort(404)
    return attachment


@bp.get("/attachments/<public_id>")
@login_required
def attachment(public_id: str):
    return files.send(_attachment_or_404(public_id), "bid")


@bp.post("/attachments/<public_id>/remove")
@login_required
def remove_attachment(public_id: str):
    attachment = _attachment_or_404(public_id)
    name = attachment.filename
    return _act(
        attachment.bid,
        lambda: operations.remove_attachment(current_user, attachment),
        _("已删除附件「%(name)s」。", name=name),
    )


@bp.get("/bids/<public_id>/revisions")
@login_required
def revisions(public_id: str):
    bid = _bid_or_404(public_id)
    return render_template(
        "bids/revisions.html", bid=bid, project=bid.project, revisions=queries.revisions_of(bid)
    )


@bp.get("/bids/<public_id>/revisions/<revision_id>")
@login_required
def revision(public_id: str, revision_id: str):
    bid = _bid_or_404(public_id)
    revision = db.session.scalar(
        select(BidRevision).where(BidRevision.bid_id == bid.id, BidRevision.public_id == revision_id)
    )
    if revision is None:
        abort(404)
    return render_template(
        "bids/revision.html",
        bid=bid,
        project=bid.project,
        revision=revision,
        team=_names(revision.content.get("team")),
    )


@bp.get("/bids/mine")
@login_required
def mine():
    """我的标书: the bids of every organization the user manages."""
    page = paginate_rows(queries.bids_of_orgs(permissions.managed_org_ids(current_user)), PER_PAGE)
    return render_template("bids/mine.html", page=page)


@bp.get("/projects/<int:project_id>/bids")
@login_required
def for_project(project_id: int):
    """All bids of a project, once bidding has closed, for those overseeing it who are not recused."""
    project = db.get_or_404(Project, project_id)
    if not permissions.can(current_user, "project.view_bids", project):
        abort(404)
    page = db.paginate(queries.submitted_bids(project), per_page=PER_PAGE, error_out=False)
    return render_template("bids/for_project.html", project=project, page=page, validity=queries.validity)
