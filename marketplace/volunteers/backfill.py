"""补登班次 (late registration): a shift created after it had started — an activity already held,
entered afterwards (``Shift.is_backfill``, set by ``positions.save_shift``).

Nobody signs up for it (``signups.sign_up`` refuses). The host enters who took part by 学号; each is
accepted at once with attendance for the whole shift, marked by hand on the host's word, which the
roster can still correct. The host then confirms the attendance as for any shift, and the credit
records it makes carry the 补登 mark for the verifier (``CreditRecord.is_backfill``). Nothing here
commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, clock
from ..errors import DomainError
from ..extensions import db
from ..hosting.operations import require_host
from .models import Attendance, Shift, Signup
from .seats import take_seat
from .signups import move_signup, overlapping


def register(actor, shift: Shift, data: dict) -> int:
    """Enter ``data["students"]`` (accounts) as volunteers of the 补登 shift ``shift``, present for all
    of it on the host's word (``data["reason"]``: a sign-in sheet, photos); returns how many were new."""
    students, reason = data["students"], (data["reason"] or "").strip()
    require_host(actor, shift.position.project)
    if not shift.is_backfill:
        raise DomainError(_("只有补登班次可以按学号登记志愿者；其他班次由同学自行报名。"))
    if shift.attendance_confirmed_at is not None:
        raise DomainError(_("该班次考勤已确认，不能再登记。"))
    if not reason:
        raise DomainError(_("请写明登记的依据，例如现场签到表。"), field="reason")
    present = set(db.session.scalars(select(Signup.user_id).where(Signup.shift_id == shift.id)))
    new = [student for student in students if student.id not in present]
    if clash := overlapping([s.id for s in new], shift.starts_at, shift.ends_at, besides=shift):
        names = "、".join(dict.fromkeys(s.user.name for s in clash))
        raise DomainError(
            _("以下同学在这段时间另有报名的班次，不能重复登记：%(names)s", names=names), field="student_nos"
        )
    now = clock.now()
    # Still under way: the host marks the check-out once it ends.
    checked_out_at = shift.ends_at if shift.ends_at <= now else None
    for student in new:
        if not take_seat(shift):
            raise DomainError(
                _("超出班次的人数上限（%(n)s 人），请先编辑班次扩大名额。", n=shift.capacity),
                field="student_nos",
            )
        signup = Signup(shift=shift, user_id=student.id, created_at=now, queue_key=now.isoformat())
        db.session.add(signup)
        move_signup(signup, "register", actor)
        db.session.add(
            Attendance(
                signup=signup,
                checked_in_at=shift.starts_at,
                checked_out_at=checked_out_at,
                marked_by_id=actor.id,
                mark_reason=reason,
            )
        )
    audit.record(
        actor,
        "shift.register",
        shift,
        after={"added": len(new)},
        reason=reason,
        project_id=shift.position.project_id,
    )
    return len(new)
