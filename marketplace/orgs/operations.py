"""Organizations and memberships: creating, editing, appointing and ending (with the audit log)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import audit, clock, permissions
from ..accounts.models import AccountStatus
from ..accounts.operations import user_by_number
from ..errors import DomainError
from ..extensions import db
from ..notify import operations as notify
from .models import College, MemberRole, Membership, Organization, OrgKind

ORG_FIELDS = ["name", "kind", "college_id", "description", "is_active"]
MEMBERSHIP_FIELDS = ["user_id", "org_id", "role", "title", "starts_on", "ends_on"]


def save_college(actor, college: College, data: dict) -> College:
    permissions.require(actor, "org.manage")
    name, code = data["name"], data.get("code")
    clash = select(College.id).where(func.lower(College.name) == name.strip().lower())
    if college.id is not None:
        clash = clash.where(College.id != college.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(_("已有同名学院。"), field="name")
    before = None if college.id is None else audit.snapshot(college, ["name", "code"])
    college.name, college.code = name.strip(), (code or "").strip() or None
    db.session.add(college)
    db.session.flush()
    audit.record(
        actor, "college.save", college, before=before, after=audit.snapshot(college, ["name", "code"])
    )
    return college


def save_org(actor, org: Organization, data: dict) -> Organization:
    """Create or edit an organization: ``name``, ``kind``, ``college_id``, ``description``,
    ``is_active`` (new organizations are active unless it says otherwise)."""
    permissions.require(actor, "org.manage")
    name, kind, college_id = data["name"], OrgKind(data["kind"]), data.get("college_id")
    if kind.needs_college and not college_id:
        raise DomainError(_("院系学生会和班级必须属于一个学院。"), field="college_id")
    clash = select(Organization.id).where(func.lower(Organization.name) == name.strip().lower())
    if org.id is not None:
        clash = clash.where(Organization.id != org.id)
    if db.session.scalar(clash) is not None:
        raise DomainError(_("已有同名组织。"), field="name")
    creating = org.id is None
    before = None if creating else audit.snapshot(org, ORG_FIELDS)
    org.name, org.kind, org.college_id = name.strip(), kind, college_id or None
    org.description, org.is_active = data.get("description") or "", data.get("is_active", True)
    db.session.add(org)
    db.session.flush()
    audit.record(
        actor,
        "org.create" if creating else "org.update",
        org,
        before=before,
        after=audit.snapshot(org, ORG_FIELDS),
    )
    return org


def _overlapping(user_id: int, org_id: int, starts_on: date, ends_on: date | None, except_id: int | None):
    far = date(9999, 12, 31)
    stmt = select(Membership).where(
        Membership.user_id == user_id,
        Membership.org_id == org_id,
        Membership.starts_on <= (ends_on or far),
        func.coalesce(Membership.ends_on, far) >= starts_on,
    )
    if except_id is not None:
        stmt = stmt.where(Membership.id != except_id)
    return db.session.scalar(stmt.limit(1))


def save_membership(
    actor,
    membership: Membership,
    *,
    user,
    org: Organization,
    role: MemberRole,
    title: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    notify_member: bool = True,
) -> Membership:
    """Appoint (or edit) a member or manager for a period. Periods of one person in one organization
    may not overlap: a change of role ends one period and starts the next."""
    starts_on = starts_on or clock.today_local()
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("结束日期不能早于开始日期。"), field="ends_on")
    if _overlapping(user.id, org.id, starts_on, ends_on, membership.id):
        raise DomainError(_("此人在该组织已有与这段时间重叠的任职记录，请先结束原记录。"), field="starts_on")
    creating = membership.id is None
    before = None if creating else audit.snapshot(membership, MEMBERSHIP_FIELDS)
    membership.user_id, membership.org_id = user.id, org.id
    membership.role, membership.title = MemberRole(role), title or ""
    membership.starts_on, membership.ends_on = starts_on, ends_on
    db.session.add(membership)
    db.session.flush()
    audit.record(
        actor,
        "membership.create" if creating else "membership.update",
        membership,
        before=before,
        after=audit.snapshot(membership, MEMBERSHIP_FIELDS),
    )
    if creating and notify_member:
        notify.send(user, "membership.granted", link=org.url, org=org, membership=membership)
    return membership


def appoint(actor, org: Organization, data: dict) -> Membership:
    """任命: make the account with the 学号/工号 ``data["number"]`` a member or manager of ``org``
    (``role``, ``title``, ``starts_on``, ``ends_on``)."""
    permissions.require(actor, "org.manage")
    user = user_by_number(data["number"])
    if user.status != AccountStatus.ACTIVE:
        message = _(
            "该账号（%(name)s）状态为“%(status)s”，不能任职。", name=user.name, status=user.status.label
        )
        raise DomainError(message, field="number")
    return save_membership(
        actor,
        Membership(),
        user=user,
        org=org,
        role=data["role"],
        title=data.get("title") or "",
        starts_on=data.get("starts_on"),
        ends_on=data.get("ends_on"),
    )


def end_membership(actor, membership: Membership, data: dict) -> None:
    """End a membership on ``data["ends_on"]`` (today when empty)."""
    permissions.require(actor, "org.manage")
    ends_on = data.get("ends_on") or clock.today_local()
    if ends_on < membership.starts_on:
        raise DomainError(_("结束日期不能早于开始日期。"), field="ends_on")
    with audit.recording(actor, "membership.end", membership, MEMBERSHIP_FIELDS):
        membership.ends_on = ends_on


def current_members(org: Organization, day: date | None = None, *, managers_only: bool = False):
    """Active memberships of ``org`` with their users, managers first (one query)."""
    day = day or clock.today_local()
    stmt = (
        select(Membership)
        .where(Membership.org_id == org.id, Membership.active_on(day))
        .options(joinedload(Membership.user))
    )
    if managers_only:
        stmt = stmt.where(Membership.role == MemberRole.MANAGER)
    return db.session.scalars(stmt.order_by(Membership.role, Membership.starts_on)).all()  # managers first


def member_count(org: Organization, day: date | None = None) -> int:
    day = day or clock.today_local()
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.org_id == org.id, Membership.active_on(day))
    )
