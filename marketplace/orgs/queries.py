"""Who holds which post today: the managers of organizations and the staff of a union. Every area
that tells an organization's managers or a union's staff something asks here."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import clock
from ..accounts.models import User
from ..extensions import db
from .models import MemberRole, Membership


def managers_of(org_ids) -> list[Membership]:
    """The active manager memberships of the given organizations (with ``.user`` and ``.org``)."""
    org_ids = list(org_ids)
    if not org_ids:
        return []
    return db.session.scalars(
        select(Membership)
        .where(
            Membership.org_id.in_(org_ids),
            Membership.role == MemberRole.MANAGER,
            Membership.active_on(clock.today_local()),
        )
        .options(joinedload(Membership.user), joinedload(Membership.org))
    ).all()


def union_staff(union_id: int) -> list[User]:
    """Everyone who works for the union today (学生会/研究生会工作人员), whatever their post."""
    return (
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.org_id == union_id, Membership.active_on(clock.today_local()))
        )
        .unique()
        .all()
    )
