"""Who holds which post today: the managers of organizations and the staff of a union. Every area
that tells an organization's managers or a union's staff something asks here. And whom a union serves
(``served``): the yearly survey's audience and the raters of its staff's 述职评议 are both that."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from .. import clock
from ..accounts.models import AccountKind, DegreeLevel, User
from ..extensions import db
from .models import MemberRole, Membership, Organization, OrgKind


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


def served(union: Organization):
    """SQL condition on ``User``: the students ``union`` serves (服务对象) — the 校学生会 the
    undergraduates, the 研究生会 the master's and doctoral students, a 院系学生会 its college's students
    of any level. Whatever their account's status: each caller says whom of them it wants."""
    student = User.kind == AccountKind.STUDENT
    match union.kind:
        case OrgKind.SCHOOL_UNION:
            return and_(student, User.degree_level == DegreeLevel.UNDERGRADUATE)
        case OrgKind.GRADUATE_UNION:
            return and_(student, User.degree_level.in_([DegreeLevel.MASTER, DegreeLevel.DOCTORAL]))
        case OrgKind.COLLEGE_UNION:
            return and_(student, User.college_id == union.college_id)
    raise ValueError(f"{union.kind!r} is not a union")
