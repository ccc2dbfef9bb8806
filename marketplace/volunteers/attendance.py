"""Attendance (考勤): the rotating check-in code, check-in and check-out by code, the host marking or
correcting attendance by hand, and confirming a shift's attendance — which fixes the credited hours
and makes the credit records. Nothing here commits.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from limits import RateLimitItemPerMinute
from sqlalchemy import select

from .. import audit, clock, permissions, settings
from ..credits.records import create_from_attendance
from ..errors import DomainError
from ..extensions import db, limiter
from .models import Attendance, Shift, Signup, SignupStatus
from .queries import roster
from .signups import move_signup

CODE_STEP = 60  # seconds: the check-in code rotates every minute
STALE_CODE_MINUTES = 30  # how far back a refused code is recognised as this shift's, only older
SCAN_KEPT_MINUTES = 10  # a scan made before logging in still counts for this long
# Wrong codes one volunteer may type for one shift: two codes of a million are valid at a time, so
# guessing must stay hopeless. Counted in the rate limiter's storage (shared by every process).
WRONG_CODE_MINUTES = 10
WRONG_CODES = RateLimitItemPerMinute(10, WRONG_CODE_MINUTES)


def checkin_code(shift: Shift, at: datetime | None = None) -> str:
    """A six-digit code for the minute containing ``at``: HMAC of the shift and the minute."""
    minute = int((at or clock.now()).timestamp() // CODE_STEP)
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"checkin:{shift.id}:{minute}".encode(), hashlib.sha256).hexdigest()
    return f"{int(digest[:10], 16) % 1_000_000:06d}"


def _matches(shift: Shift, code: str, at: datetime, minutes_back: range) -> bool:
    code = (code or "").strip()
    return any(
        hmac.compare_digest(code, checkin_code(shift, at - timedelta(seconds=CODE_STEP * n)))
        for n in minutes_back
    )


def code_is_current(shift: Shift, code: str, at: datetime) -> bool:
    """The current and the previous minute's codes are accepted (a code read at :59 still works)."""
    return _matches(shift, code, at, range(2))


def check_code(student, shift: Shift, code: str, at: datetime) -> None:
    """Refuse a code that does not open ``shift`` at ``at``, saying whether it is merely old (a
    screenshot, a page left open) or not this shift's at all (another shift's QR, a typo). Only for
    a volunteer accepted on the shift; after ``WRONG_CODES`` wrong ones every code is refused until
    the window has passed (the host can still mark the attendance by hand)."""
    counter = ("checkin-wrong-code", str(student.id), str(shift.id))
    if limiter.enabled and not limiter.limiter.test(WRONG_CODES, *counter):
        raise DomainError(
            _(
                "签到码输错次数太多，请 %(n)s 分钟后再试，或请承办方为你登记签到。",
                n=WRONG_CODE_MINUTES,
            ),
            field="code",
        )
    if code_is_current(shift, code, at):
        return
    if limiter.enabled:
        limiter.limiter.hit(WRONG_CODES, *counter)
    if _matches(shift, code, at, range(2, STALE_CODE_MINUTES + 1)):
        raise DomainError(_("签到码已过期（每分钟更换一次），请扫描承办方现在展示的二维码。"), field="code")
    raise DomainError(_("签到码不对：请确认扫描的是本班次现场展示的二维码，或重新输入。"), field="code")


def credited_hours(shift: Shift, checked_in_at: datetime, checked_out_at: datetime) -> Decimal:
    """The overlap with the shift, rounded down to half hours, capped at the shift's credit hours."""
    start, end = max(shift.starts_at, checked_in_at), min(shift.ends_at, checked_out_at)
    halves = int(max(0.0, (end - start).total_seconds()) // 1800)
    return min(Decimal(halves) / 2, shift.credit_hours)


def check_in_or_out(student, shift: Shift, data: dict, *, scanned_at: datetime | None = None) -> Attendance:
    """签到/签退 with the host's code (``data["code"]``). ``scanned_at`` is when the code was read (a
    scan survives a login in between, for ``SCAN_KEPT_MINUTES``); the code must be valid at that moment.

    The sign-up and the time are checked before the code: whoever may not check in learns nothing
    about a code, not even that a guess was a recent one ("已过期")."""
    code = data["code"]
    at = scanned_at or clock.now()
    if clock.now() - at > timedelta(minutes=SCAN_KEPT_MINUTES):
        raise DomainError(
            _("扫码已超过 %(n)s 分钟，请重新扫描现场的二维码。", n=SCAN_KEPT_MINUTES), field="code"
        )
    signup = db.session.scalar(
        select(Signup).where(Signup.shift_id == shift.id, Signup.user_id == student.id)
    )
    if signup is None or signup.status != SignupStatus.ACCEPTED:
        raise DomainError(_("你没有被录用到这个班次，不能签到。"), field="code")
    early = timedelta(minutes=settings.get("checkin_early_minutes"))
    if not shift.starts_at - early <= at <= shift.ends_at + early:
        raise DomainError(_("不在签到时间内。"), field="code")
    check_code(student, shift, code, at)
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
