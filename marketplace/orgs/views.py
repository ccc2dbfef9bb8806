"""Public organization pages (信息公开) and the manager's view of their own organizations."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from .. import clock, pagecache, permissions, settings
from ..evaluation.record import org_record
from ..extensions import db
from .models import BIDDER_KINDS, Membership, Organization, OrgKind
from .operations import current_members, member_count

bp = Blueprint("orgs", __name__, url_prefix="/orgs")


@bp.get("/")
def index():
    kind = request.args.get("kind")
    stmt = (
        select(Organization).where(Organization.is_active.is_(True)).options(joinedload(Organization.college))
    )
    if kind in OrgKind._value2member_map_:
        stmt = stmt.where(Organization.kind == OrgKind(kind))
    page = db.paginate(stmt.order_by(Organization.kind, Organization.name), per_page=30, error_out=False)
    return render_template("orgs/index.html", page=page, kind=kind, kinds=list(OrgKind))


@bp.get("/<int:org_id>")
@pagecache.public
def show(org_id: int):
    org = db.get_or_404(Organization, org_id)
    # The public page names the managers only: a union's whole staff list is for the students, signed
    # in (信息公开: disclosure.staff).
    shown = current_members(org, managers_only=True)
    return render_template(
        "orgs/show.html",
        org=org,
        members=shown,
        member_count=member_count(org),
        # 承办记录: the reputation, its projects' final scores and improvement plans (信息公开); the
        # unions post projects and host none.
        record=org_record(org) if org.kind in BIDDER_KINDS else None,
        half_life=settings.get("reputation_half_life_days"),
    )


@bp.get("/mine")
@login_required
def mine():
    day = clock.today_local()
    memberships = db.session.scalars(
        select(Membership)
        .join(Organization)
        .where(Membership.user_id == current_user.id, Membership.active_on(day))
        .options(contains_eager(Membership.org))
        .order_by(Organization.kind, Organization.name)
    ).all()
    managed = [m.org for m in memberships if permissions.can(current_user, "org.act_for", m.org)]
    rosters = {org.id: current_members(org, day) for org in managed}
    return render_template("orgs/mine.html", memberships=memberships, rosters=rosters)
