"""Factories: make the world of a test in a line. Each commits, so requests (which run on their own
sessions) see what it made."""

from __future__ import annotations

import itertools
from datetime import date

from werkzeug.security import generate_password_hash

from marketplace import clock
from marketplace.accounts.models import AccountKind, AccountStatus, SiteRole, User, UserRole
from marketplace.extensions import db
from marketplace.orgs.models import College, MemberRole, Membership, Organization, OrgKind

PASSWORD = "test-pass-123"
# A cheap hash: the real one (scrypt) would spend most of the suite's time hashing.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_seq = itertools.count(1)


def college(name: str | None = None) -> College:
    n = next(_seq)
    c = College(name=name or f"第{n}学院", code=f"C{n}")
    db.session.add(c)
    db.session.commit()
    return c


def user(
    *,
    kind: AccountKind = AccountKind.STUDENT,
    name: str | None = None,
    roles: tuple[SiteRole | str, ...] = (),
    claimed: bool = True,
    verified: bool = True,
    status: AccountStatus = AccountStatus.ACTIVE,
    college: College | None = None,
    grade: int | None = 2024,
    phone: str | None = None,
    email: str | None = None,
    number: str | None = None,
    **fields,
) -> User:
    n = next(_seq)
    number = number or (f"2024{n:06d}" if kind == AccountKind.STUDENT else f"T{n:05d}")
    u = User(
        kind=kind,
        student_no=number if kind == AccountKind.STUDENT else None,
        staff_no=number if kind == AccountKind.FACULTY else None,
        name=name or f"测试用户{n}",
        college=college,
        grade=grade if kind == AccountKind.STUDENT else None,
        phone=phone or f"139{n:08d}",
        email=email or f"user{n}@example.edu.cn",
        status=status,
        **fields,
    )
    if claimed:
        u.password_hash = _HASH
        u.claimed_at = clock.now()
    if verified:
        u.email_verified_at = clock.now()
    for role in roles:
        u.site_roles.append(UserRole(role=SiteRole(role)))
    db.session.add(u)
    db.session.commit()
    return u


def org(
    kind: OrgKind = OrgKind.CLUB, *, name: str | None = None, college: College | None = None
) -> Organization:
    n = next(_seq)
    if kind.needs_college and college is None:
        college = globals()["college"]()
    o = Organization(name=name or f"{kind.label}{n}", kind=kind, college=college)
    db.session.add(o)
    db.session.commit()
    return o


def membership(
    u: User,
    o: Organization,
    role: MemberRole = MemberRole.MEMBER,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    title: str = "",
) -> Membership:
    m = Membership(
        user_id=u.id,
        org_id=o.id,
        role=role,
        title=title,
        starts_on=starts_on or date(2025, 9, 1),
        ends_on=ends_on,
    )
    db.session.add(m)
    db.session.commit()
    return m


def staff_member(union: Organization | None = None, **user_fields) -> User:
    """A member of the school union's staff (学生会工作人员)."""
    union = union or org(OrgKind.SCHOOL_UNION)
    u = user(**user_fields)
    membership(u, union, MemberRole.MEMBER, title="干事")
    return u


def manager_of(o: Organization, **user_fields) -> User:
    u = user(**user_fields)
    membership(u, o, MemberRole.MANAGER, title="负责人")
    return u


def login(client, u: User, password: str = PASSWORD):
    response = client.post("/login", data={"identifier": u.identifier, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response
