"""参与同学签到: who was served. On each event day the host opens the participants' check-in and shows
its rotating code (the same doors as the volunteers' shifts, ``marketplace.checkin``); any active
student who is signed in and enters or scans the current code is recorded once for the day. Nobody
signs up. Those recorded are invited to the satisfaction survey when the project enters 评价中.

Attending can be sensitive (a 心理 event): hosts and staff see how many came each day, never who, and
a check-in writes no audit entry — the union's staff read their projects' entries, and the entry
would name the student. Nothing here commits.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from .. import audit, checkin, clock, permissions
from ..accounts.models import AccountKind
from ..errors import DomainError
from ..extensions import db
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from ..timeutil import local
from .models import ParticipantCheckin, ParticipantDay
from .operations import require_host


def scope(day: ParticipantDay) -> str:
    """The day's door in ``marketplace.checkin``: its codes open no shift and no other day."""
    return f"participants:{day.id}"


def checkin_code(day: ParticipantDay, at: datetime | None = None) -> str:
    return checkin.code(scope(day), at)


def day_of(project: Project, day: date) -> ParticipantDay | None:
    return db.session.scalar(
        select(ParticipantDay).where(ParticipantDay.project_id == project.id, ParticipantDay.day == day)
    )


def open_today(actor, project: Project) -> ParticipantDay:
    """The host opens today's participants' check-in (again: the one already open today)."""
    require_host(actor, project)  # locks the project: two clicks at once open one day
    today = clock.today_local()
    if (opened := day_of(project, today)) is not None:
        return opened
    day = ParticipantDay(project_id=project.id, day=today, opened_by_id=actor.id, opened_at=clock.now())
    db.session.add(day)
    db.session.flush()
    audit.record(actor, "participant_day.open", day, after={"day": today}, project_id=project.id)
    return day


def is_open(day: ParticipantDay, at: datetime | None = None) -> bool:
    """Check-in runs on its own day while the project is being hosted."""
    at = at or clock.now()
    return local(at).date() == day.day and lifecycle.effective_state(day.project, at) == ProjectState.HOSTING


def has_checked_in(student, day: ParticipantDay) -> bool:
    return db.session.get(ParticipantCheckin, (day.id, student.id)) is not None


def check_in(student, day: ParticipantDay, data: dict, *, scanned_at: datetime | None = None) -> None:
    """签到 with the code the host shows (``data["code"]``); ``scanned_at`` as in the volunteers'
    check-in (a scan survives a login). Who may check in, and whether today's check-in is open, are
    checked before the code, so a refused visitor learns nothing about a code."""
    at = scanned_at or clock.now()
    checkin.check_scan_age(at)
    if student.kind != AccountKind.STUDENT or not permissions.can(student, "account.write"):
        raise DomainError(_("只有在校学生可以签到。"), field="code")
    if not is_open(day, at):
        raise DomainError(_("这场活动今天没有开放签到。"), field="code")
    if has_checked_in(student, day):
        raise DomainError(_("你今天已经签到过了。"), field="code")
    checkin.check_code(
        student,
        scope(day),
        data["code"],
        at,
        elsewhere=_("签到码不对：请确认扫描的是本场活动现场展示的二维码，或重新输入。"),
    )
    try:
        with db.session.begin_nested():
            db.session.add(ParticipantCheckin(day_id=day.id, user_id=student.id))
            db.session.flush()
    except IntegrityError:  # the same student on two phones at once: the key lets one through
        raise DomainError(_("你今天已经签到过了。"), field="code") from None


def days_of(project: Project) -> list[ParticipantDay]:
    """The project's event days with how many checked in each, newest first (counts, never names)."""
    return db.session.scalars(
        select(ParticipantDay)
        .where(ParticipantDay.project_id == project.id)
        .options(undefer(ParticipantDay.checked_in))
        .order_by(ParticipantDay.day.desc())
    ).all()


def participants_of(project: Project):
    """The ids of the students who checked in on any of the project's days (for the survey's audience)."""
    return (
        select(ParticipantCheckin.user_id)
        .join(ParticipantDay, ParticipantDay.id == ParticipantCheckin.day_id)
        .where(ParticipantDay.project_id == project.id)
    )
