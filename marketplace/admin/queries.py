"""What the administration pages read: lists with their filters, the dashboard's counts, the audit log.

Each list is one select() whose rows carry what the page shows (joined or selectin-loaded), so a page
issues the same number of queries whatever its length.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import defaultload, lazyload, selectinload

from ..accounts.models import AccountKind, AccountStatus, SiteRole, User, UserRole
from ..audit import AuditEntry
from ..bids.visibility import hidden_bid_projects
from ..extensions import db
from ..orgs.models import Membership, Organization, OrgKind
from ..school.models import AcademicYear
from ..timeutil import start_of_local_day

# How the audit log names what an entry is about; areas that audit new kinds of things add them here.
SUBJECT_LABELS = {
    "user": _l("账号"),
    "organization": _l("组织"),
    "membership": _l("任职"),
    "college": _l("学院"),
    "academic_year": _l("学年"),
    "term": _l("学期"),
    "credit_category": _l("学分类别"),
    "setting": _l("系统设置"),
    "bid": _l("标书"),
    "bid_attachment": _l("标书附件"),
    "import_job": _l("名册导入"),
    "project": _l("项目"),
    "project_change": _l("项目变更"),
    "question": _l("答疑"),
    "recusal": _l("回避"),
    "review_round": _l("评审轮次"),
    "panel_seat": _l("评审席位"),
    "score": _l("评分"),
    "award_notice": _l("中标公示"),
    "objection": _l("异议"),
    "progress_update": _l("进展"),
    "expenditure": _l("支出"),
    "completion_report": _l("结项报告"),
    "position": _l("志愿岗位"),
    "shift": _l("班次"),
    "signup": _l("志愿报名"),
    "attendance": _l("考勤"),
    "training": _l("培训"),
    "credit_record": _l("学分记录"),
    "credit_appeal": _l("学分申诉"),
}


def dashboard_counts() -> dict:
    """Accounts by kind and status, organizations by kind: two grouped queries."""
    users = {
        (kind, status): n
        for kind, status, n in db.session.execute(
            select(User.kind, User.status, func.count()).group_by(User.kind, User.status)
        )
    }
    orgs = dict(db.session.execute(select(Organization.kind, func.count()).group_by(Organization.kind)).all())
    return {
        "users": [
            (kind, [(status, users.get((kind, status), 0)) for status in AccountStatus])
            for kind in AccountKind
        ],
        "user_total": sum(users.values()),
        "orgs": [(kind, orgs.get(kind, 0)) for kind in OrgKind],
        "org_total": sum(orgs.values()),
    }


def users(
    *, q: str = "", kind: str = "", status: str = "", role: str = "", college_id: int | None = None
) -> Select:
    """The accounts list: search by name, 学号/工号 or email (any case), filtered by the rest."""
    stmt = select(User).options(lazyload(User.memberships))
    if q := q.strip():
        stmt = stmt.where(
            or_(
                User.name.icontains(q, autoescape=True),
                User.student_no.icontains(q, autoescape=True),
                User.staff_no.icontains(q, autoescape=True),
                User.email.icontains(q, autoescape=True),
            )
        )
    if kind:
        stmt = stmt.where(User.kind == AccountKind(kind))
    if status:
        stmt = stmt.where(User.status == AccountStatus(status))
    if role:
        stmt = stmt.where(User.site_roles.any(UserRole.role == SiteRole(role)))
    if college_id:
        stmt = stmt.where(User.college_id == college_id)
    return stmt.order_by(User.kind, func.coalesce(User.student_no, User.staff_no))


def organizations(*, q: str = "", kind: str = "") -> Select:
    stmt = select(Organization)
    if q := q.strip():
        stmt = stmt.where(Organization.name.icontains(q, autoescape=True))
    if kind:
        stmt = stmt.where(Organization.kind == OrgKind(kind))
    return stmt.order_by(Organization.is_active.desc(), Organization.kind, Organization.name)


def org_memberships(org: Organization, today: date) -> tuple[list[Membership], Select]:
    """Current (and future) memberships, managers first; and a select() of past ones, latest first."""
    # Built here, not at import: a loader option configures every mapper, so it needs all models loaded.
    # The list shows no one's other memberships, so they are not loaded with every person listed.
    of_org = (
        select(Membership)
        .where(Membership.org_id == org.id)
        .options(defaultload(Membership.user).lazyload(User.memberships))
    )
    current = db.session.scalars(
        of_org.where(or_(Membership.ends_on.is_(None), Membership.ends_on >= today)).order_by(
            Membership.role,
            Membership.starts_on,  # "manager" sorts before "member"
        )
    ).all()
    past = of_org.where(Membership.ends_on < today).order_by(Membership.ends_on.desc(), Membership.id.desc())
    return list(current), past


def calendar() -> Select:
    return (
        select(AcademicYear).options(selectinload(AcademicYear.terms)).order_by(AcademicYear.starts_on.desc())
    )


def visible_audit_entries(user) -> Select:
    """The audit entries ``user`` may read, newest first. Every page that lists entries starts here.

    Bid entries stay out of sight while their project's bids are sealed, and always for anyone
    recused from the project (docs/sealing-and-recusal.md).
    """
    stmt = (
        select(AuditEntry)
        .options(defaultload(AuditEntry.actor).lazyload(User.memberships))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    hidden = hidden_bid_projects(user)
    if hidden:
        stmt = stmt.where(~and_(AuditEntry.action.startswith("bid."), AuditEntry.project_id.in_(hidden)))
    return stmt


def filter_audit(
    stmt: Select,
    *,
    action: str = "",
    actor: str = "",
    subject_type: str = "",
    subject_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> Select:
    """Narrow the audit log: action prefix, actor's 学号/工号, subject, school-calendar days (inclusive)."""
    if action := action.strip():
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    if actor := actor.strip():
        stmt = stmt.where(AuditEntry.actor.has(or_(User.student_no == actor, User.staff_no == actor)))
    if subject_type:
        stmt = stmt.where(AuditEntry.subject_type == subject_type)
    if subject_id := subject_id.strip():
        stmt = stmt.where(AuditEntry.subject_id == subject_id)
    if since:
        stmt = stmt.where(AuditEntry.at >= start_of_local_day(since))
    if until:
        stmt = stmt.where(AuditEntry.at < start_of_local_day(until + timedelta(days=1)))
    return stmt


def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def audit_changes(entry: AuditEntry) -> tuple[str | None, str | None]:
    """``before`` and ``after`` as compact JSON; for an edit, only the keys that changed."""
    before, after = entry.before, entry.after
    if isinstance(before, dict) and isinstance(after, dict):
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        before = {k: before[k] for k in changed if k in before}
        after = {k: after[k] for k in changed if k in after}
    return (
        compact_json(before) if before is not None else None,
        compact_json(after) if after is not None else None,
    )
