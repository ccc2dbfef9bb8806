"""Attendance (考勤): check-in and check-out by the shift's rotating code (``marketplace.checkin``),
the host marking or correcting attendance by hand, and confirming a shift's attendance — which fixes
the credited hours and makes the credit records. Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, checkin, clock, permissions, settings
from ..credits.records import create_from_attendance
from ..errors import DomainError
from ..extensions import db
from .models import Attendance, Shift, Signup, SignupStatus
from .queries import roster
from .signups import move_signup


def scope(shift: Shift) -> str:
    """The shift's door in ``marketplace.checkin``: its codes are its own."""
    return str(shift.id)


def checkin_code(shift: Shift, at: datetime | None = None) -> str:
    """The shift's six-digit code for the minute containing ``at`` (see ``marketplace.checkin``)."""
    return checkin.code(scope(shift), at)


def credited_hours(shift: Shift, checked_in_at: datetime, checked_out_at: datetime) -> Decimal:
    """The overlap with the shift, rounded down to half hours, capped at the shift's credit hours."""
    start, end = max(shift.starts_at, checked_in_at), min(shift.ends_at, checked_out_at)
    halves = int(max(0.0, (end - start).total_seconds()) // 1800)
    return min(Decimal(halves) / 2, shift.credit_hours)


def check_in_or_out(student, shift: Shift, data: dict, *, scanned_at: datetime | None = None) -> Attendance:
    """签到/签退 with the host's code (``data["code"]``). ``scanned_at`` is when the code was read (a
    scan survives a login in between, for ``checkin.SCAN_KEPT_MINUTES``); the code must be valid at that
    moment.

    The sign-up and the time are checked before the code: whoever may not check in learns nothing
    about a code, not even that a guess was a recent one ("已过期")."""
    at = scanned_at or clock.now()
    checkin.check_scan_age(at)
    signup = db.session.scalar(
        select(Signup).where(Signup.shift_id == shift.id, Signup.user_id == student.id)
    )
    if signup is None or signup.status != SignupStatus.ACCEPTED:
        raise DomainError(_("你没有被录用到这个班次，不能签到。"), field="code")
    early = timedelta(minutes=settings.get("checkin_early_minutes"))
    if not shift.starts_at - early <= at <= shift.ends_at + early:
        raise DomainError(_("不在签到时间内。"), field="code")
    checkin.check_code(
        student,
        scope(shift),
        data["code"],
        at,
        elsewhere=_("签到码不对：请确认扫描的是本班次现场展示的二维码，或重新输入。"),
    )
    attendance = signup.attendance
    if attendance is None:
        attendance = Attendance(signup=signup, checked_in_at=at)
        db.session.add(attendance)
        action = "attendance.check_in"
    elif attendance.checked_out_at is None:
        if at <= attendance.checked_in_at:
            raise DomainError(_("签退时间不能早于签到时间。"), field="code")
        attendance.checked_out_at = at
        action = "attendance.check_out"
    else:
        raise DomainError(_("你已经签退过了。"), field="code")
    db.session.flush()
    audit.record(student, action, attendance, project_id=shift.position.project_id)
    return attendance


def mark_attendance(actor, signup: Signup, data: dict) -> Attendance:
    """The host marks or corrects attendance by hand (``checked_in_at``, ``checked_out_at``), from the
    shift's start and always with a ``reason``."""
    checked_in_at, checked_out_at, reason = data["checked_in_at"], data["checked_out_at"], data["reason"]
    shift = signup.shift
    permissions.require(actor, "project.host", shift.position.project)
    if clock.now() < shift.starts_at:
        raise DomainError(_("班次还没有开始，开始后才能登记考勤。"))
    if shift.attendance_confirmed_at is not None:
        raise DomainError(_("该班次考勤已确认，不能再修改。"))
    if not (reason or "").strip():
        raise DomainError(_("手动登记考勤须填写原因。"), field="reason")
    if checked_out_at is not None and checked_out_at <= checked_in_at:
        raise DomainError(_("签退时间必须晚于签到时间。"), field="checked_out_at")
    if signup.status not in (SignupStatus.ACCEPTED, SignupStatus.NO_SHOW):
        raise DomainError(_("只有已录用的志愿者可以登记考勤。"))
    attendance = signup.attendance or Attendance(signup=signup, checked_in_at=checked_in_at)
    before = (
        None if attendance.id is None else audit.snapshot(attendance, ["checked_in_at", "checked_out_at"])
    )
    attendance.checked_in_at, attendance.checked_out_at = checked_in_at, checked_out_at
    attendance.marked_by_id, attendance.mark_reason = actor.id, reason.strip()
    db.session.add(attendance)
    if signup.status == SignupStatus.NO_SHOW:
        move_signup(signup, "mark_present", actor, reason=reason.strip())
    db.session.flush()
    audit.record(
        actor,
        "attendance.mark",
        attendance,
        before=before,
        after=audit.snapshot(attendance, ["checked_in_at", "checked_out_at"]),
        reason=reason.strip(),
        project_id=shift.position.project_id,
    )
    return attendance


def awaiting_checkout(shift: Shift) -> list[Signup]:
    return [
        s
        for s in roster(shift)
        if s.status == SignupStatus.ACCEPTED
        and s.attendance is not None
        and s.attendance.checked_out_at is None
    ]


def confirm_attendance(actor, shift: Shift) -> int:
    """确认考勤: after the shift, fix everyone's credited hours. A missing check-out waits for the host."""
    permissions.require(actor, "project.host", shift.position.project)
    if clock.now() < shift.ends_at:
        raise DomainError(_("班次结束后才能确认考勤。"))
    if shift.attendance_confirmed_at is not None:
        raise DomainError(_("该班次考勤已经确认过了。"))
    if missing := awaiting_checkout(shift):
        names = "、".join(s.user.name for s in missing)
        raise DomainError(_("以下志愿者没有签退，请先补登签退时间：%(names)s", names=names))
    confirmed = 0
    for signup in roster(shift):
        if signup.status == SignupStatus.ACCEPTED and signup.attendance is not None:
            attendance = signup.attendance
            attendance.credited_hours = credited_hours(
                shift, attendance.checked_in_at, attendance.checked_out_at
            )
            confirmed += 1
    shift.attendance_confirmed_at, shift.attendance_confirmed_by_id = clock.now(), actor.id
    create_from_attendance(actor, shift, [s for s in roster(shift) if s.status == SignupStatus.ACCEPTED])
    audit.record(
        actor,
        "shift.confirm_attendance",
        shift,
        after={"volunteers": confirmed},
        project_id=shift.position.project_id,
    )
    return confirmed
