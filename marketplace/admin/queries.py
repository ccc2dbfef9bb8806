"""What the administration pages read: lists with their filters, the dashboard's counts, the audit log.

Each list is one select() whose rows carry what the page shows (joined or selectin-loaded), so a page
issues the same number of queries whatever its length.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from .. import audit, permissions, settings
from ..accounts.models import AccountKind, AccountStatus, SiteRole, User, UserRole
from ..audit import AuditEntry
from ..bids.visibility import bids_hidden
from ..extensions import db
from ..needs.models import Need
from ..orgs.models import College, Membership, Organization, OrgKind
from ..pagination import SeekPage, seek
from ..projects.models import Project
from ..school.models import AcademicYear
from ..timeutil import start_of_local_day
from .audit_labels import ActionLabel, field_name, label_of, shown

AUDIT_PER_PAGE = 50


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
    stmt = select(User).options(selectinload(User.site_roles), joinedload(User.college))
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
    return stmt.order_by(User.kind, func.coalesce(User.student_no, User.staff_no), User.id)


def organizations(*, q: str = "", kind: str = "") -> Select:
    stmt = select(Organization).options(joinedload(Organization.college))
    if q := q.strip():
        stmt = stmt.where(Organization.name.icontains(q, autoescape=True))
    if kind:
        stmt = stmt.where(Organization.kind == OrgKind(kind))
    return stmt.order_by(Organization.is_active.desc(), Organization.kind, Organization.name)


def org_memberships(org: Organization, today: date) -> tuple[list[Membership], Select]:
    """Current (and future) memberships, managers first; and a select() of past ones, latest first."""
    of_org = select(Membership).where(Membership.org_id == org.id).options(joinedload(Membership.user))
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

    Union staff read the entries of their own union's projects only (no account, roster or settings
    entries); the league reviewer and admins read the whole log (``audit.read_all``). Bid entries stay
    out of sight while their project's bids are sealed, and always for anyone recused from the project
    (docs/sealing-and-recusal.md).
    """
    stmt = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if not permissions.can(user, "audit.read_all"):
        unions = permissions.staff_union_ids(user)
        stmt = stmt.where(AuditEntry.project_id.in_(select(Project.id).where(Project.union_id.in_(unions))))
    return stmt.where(~and_(AuditEntry.action.startswith("bid."), bids_hidden(user, AuditEntry.project_id)))


def audit_page(stmt: Select) -> SeekPage:
    """The page of the log the request names, newest first, read by (time, id): the log grows by
    millions of entries and is read from any depth."""
    return seek(stmt, (AuditEntry.at, AuditEntry.id), descending=True, per_page=AUDIT_PER_PAGE)


def filter_audit(
    stmt: Select,
    *,
    action: str = "",
    actor: str = "",
    subject_type: str = "",
    subject_id: str = "",
    project: str = "",
    since: date | None = None,
    until: date | None = None,
) -> Select:
    """Narrow the audit log: an action (or a group of them, "bid."), the actor's 学号/工号, the subject,
    the project (its number, or words of its title), school-calendar days (inclusive)."""
    if action := action.strip():
        if action.endswith("."):
            stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
        else:
            stmt = stmt.where(AuditEntry.action == action)
    if actor := actor.strip():
        stmt = stmt.where(AuditEntry.actor.has(or_(User.student_no == actor, User.staff_no == actor)))
    if subject_type:
        stmt = stmt.where(AuditEntry.subject_type == subject_type)
    if subject_id := subject_id.strip():
        stmt = stmt.where(AuditEntry.subject_id == subject_id)
    if project := project.strip().lstrip("#"):
        if project.isdigit() and len(project) <= 9:  # a project's number (longer: no integer column holds it)
            stmt = stmt.where(AuditEntry.project_id == int(project))
        else:
            titled = select(Project.id).where(Project.title.icontains(project, autoescape=True))
            stmt = stmt.where(AuditEntry.project_id.in_(titled))
    if since:
        stmt = stmt.where(AuditEntry.at >= start_of_local_day(since))
    if until:
        stmt = stmt.where(AuditEntry.at < start_of_local_day(until + timedelta(days=1)))
    return stmt


def compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# What the log names by name rather than by id: kind -> (model, its name). The kinds are subject types.
NAMED = {
    "user": (User, User.name),
    "organization": (Organization, Organization.name),
    "college": (College, College.name),
    "project": (Project, Project.title),
    "need": (Need, Need.title),
}
# The before/after keys whose values are ids of a named kind.
REFERENCES = {
    "user_id": "user",
    "user": "user",
    "org_id": "organization",
    "college_id": "college",
    "required_college_id": "college",
    "union_id": "organization",
    "merged_into_id": "need",
    "project_id": "project",
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    concealed: bool = False  # a personal value: changed, not shown


@dataclass(frozen=True)
class AuditRow:
    """One entry as the log shows it: a sentence, the project it belongs to, what changed, why."""

    entry: AuditEntry
    label: ActionLabel
    subject: str  # the subject's name where known ("张浩然", "《迎新晚会》"), else its id
    project: tuple[int, str] | None  # (id, title) of the project the entry belongs to
    edit: bool  # before and after both recorded; else a change holds its one value in ``after``
    changes: list[Change]
    reason: str | None
    reason_given: bool  # a personal reason: given, not shown
    raw: str | None  # the entry as stored, for those who may read it


def _changes(subject_type: str, before: dict, after: dict, edit: bool, names: dict) -> list[Change]:
    """Each field an entry records, in words: for an edit, those that changed, before and after; else
    each value (a creation's, a deletion's) as ``after``."""

    def say(key: str, value) -> str:
        if key in REFERENCES and isinstance(value, int):
            return names.get((REFERENCES[key], str(value)), f"#{value}")
        return shown(subject_type, key, value)

    changes = []
    for key in [*before, *(key for key in after if key not in before)]:
        old, new = before.get(key), after.get(key)
        name = field_name(subject_type, key)
        if key in audit.PERSONAL_KEYS and new == audit.CHANGED:
            changes.append(Change(name, "", "", concealed=True))
        elif not edit:
            changes.append(Change(name, "", say(key, new if key in after else old)))
        elif old != new:
            changes.append(Change(name, say(key, old), say(key, new)))
    return changes


def _names(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """(kind, id) -> name, for the accounts, organizations, colleges and projects ``entries`` are about,
    belong to or name in their values: one query for each kind, whatever the number of entries."""
    ids: dict[str, set[int]] = {kind: set() for kind in NAMED}
    for e in entries:
        if e.subject_type in ids and e.subject_id.isdigit():
            ids[e.subject_type].add(int(e.subject_id))
        if e.project_id:
            ids["project"].add(e.project_id)
        for values in (e.before, e.after):
            for key, value in (values or {}).items():
                if key in REFERENCES and isinstance(value, int):
                    ids[REFERENCES[key]].add(value)
    names = {}
    for kind, (model, name) in NAMED.items():
        if ids[kind]:
            rows = db.session.execute(select(model.id, name).where(model.id.in_(ids[kind])))
            names.update(((kind, str(id_)), value) for id_, value in rows)
    return names


def _subject(e: AuditEntry, names: dict[tuple[str, str], str]) -> str:
    if e.subject_type == "setting" and e.subject_id in settings.SETTINGS:
        return str(settings.SETTINGS[e.subject_id].label)
    name = names.get((e.subject_type, e.subject_id))
    if name is None:
        return f"#{e.subject_id}" if e.subject_id.isdigit() else e.subject_id
    return f"《{name}》" if e.subject_type == "project" else name


def _raw(e: AuditEntry) -> str:
    fields = {"action": e.action, "subject": [e.subject_type, e.subject_id], "project_id": e.project_id}
    return compact_json({**fields, "before": e.before, "after": e.after, "reason": e.reason})


def audit_rows(entries: list[AuditEntry], reader) -> list[AuditRow]:
    """``entries`` as ``reader`` reads them: personal values written before they were concealed stay
    concealed for everyone but admins (``audit.read_raw``), who also get the raw entry."""
    raw = permissions.can(reader, "audit.read_raw")
    names = _names(entries)
    rows = []
    for e in entries:
        if raw:
            before, after, reason = e.before, e.after, e.reason
        else:
            before, after, reason = audit.conceal(e.action, e.before, e.after, e.reason)
        before, after = dict(before or {}), dict(after or {})
        reason_given = after.pop("reason_given", False)
        edit = bool(before) and bool(after)
        project = names.get(("project", str(e.project_id)))
        rows.append(
            AuditRow(
                entry=e,
                label=label_of(e.action),
                subject=_subject(e, names),
                project=(e.project_id, project) if project is not None else None,
                edit=edit,
                changes=_changes(e.subject_type, before, after, edit, names),
                reason=reason,
                reason_given=bool(reason_given),
                raw=_raw(e) if raw else None,
            )
        )
    return rows
