"""The host's side of recruiting (招募): positions with their requirements and admission mode, shifts
with their capacity and credited hours, and trainings with their attendance (positions may require
one). Nothing here commits.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, clock, permissions
from ..errors import DomainError
from ..extensions import db
from ..hosting.operations import require_host
from ..notify import operations as notify
from ..projects.models import Project
from .models import Admission, Attendance, Position, Shift, Signup, Training, TrainingAttendance
from .queries import roster
from .signups import overlapping, promote

POSITION_FIELDS = [
    "title",
    "description",
    "admission",
    "credit_category_id",
    "required_training_id",
    "required_college_id",
    "min_grade",
    "max_grade",
    "required_political",
    "signup_closes_at",
]
SHIFT_FIELDS = ["starts_at", "ends_at", "place", "capacity", "credit_hours"]


def save_position(actor, project: Project, position: Position, data: dict) -> Position:
    require_host(actor, project)
    if data.get("admission") == Admission.LOTTERY and not data.get("signup_closes_at"):
        raise DomainError(_("中签制岗位须设置报名截止时间，截止后抽签。"), field="signup_closes_at")
    if data.get("min_grade") and data.get("max_grade") and data["min_grade"] > data["max_grade"]:
        raise DomainError(_("年级范围有误。"), field="max_grade")
    with audit.recording(actor, "position.save", position, POSITION_FIELDS, project_id=project.id):
        position.project_id = project.id
        for name in POSITION_FIELDS:
            setattr(position, name, data.get(name))
        position.required_political = list(data.get("required_political") or [])
    return position


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _length_in_hours(starts_at: datetime, ends_at: datetime) -> str:
    """The length as a host reads it ("2", "2.5", "1.3"), rounded down to a tenth of an hour."""
    hours = (Decimal(int((ends_at - starts_at).total_seconds())) / 3600).quantize(
        Decimal("0.1"), rounding=ROUND_DOWN
    )
    return f"{hours:.1f}".removesuffix(".0")


def has_begun(shift: Shift) -> bool:
    """Started, or someone has already checked in (up to the early check-in grace before the start)."""
    return clock.now() >= shift.starts_at or (
        db.session.scalar(
            select(Attendance.id)
            .join(Signup, Signup.id == Attendance.signup_id)
            .where(Signup.shift_id == shift.id)
            .limit(1)
        )
        is not None
    )


def _check_move(
    shift: Shift, starts_at: datetime, ends_at: datetime, begun: bool, seated: list[Signup]
) -> None:
    """Once a shift has begun only its end may move, and only later (an event runs over); before, it
    may not move into the past. Either way no volunteer holding a seat may end up on overlapping
    shifts (nor be credited twice for the same hour)."""
    if begun:
        if starts_at != shift.starts_at:
            raise DomainError(_("班次已经开始，不能再改开始时间。"), field="starts_at")
        if ends_at < shift.ends_at:
            raise DomainError(_("班次已经开始，只能延后结束时间。"), field="ends_at")
    elif starts_at < clock.now():
        raise DomainError(_("开始时间不能早于现在。补登已经举行的活动，请新建一个班次。"), field="starts_at")
    if clash := overlapping({s.user_id for s in seated}, starts_at, ends_at, besides=shift):
        names = "、".join(dict.fromkeys(s.user.name for s in clash))
        raise DomainError(
            _("以下已录用的志愿者在新的时间另有报名的班次：%(names)s。请先与他们协调。", names=names),
            field="starts_at",
        )


def save_shift(actor, position: Position, shift: Shift, data: dict) -> Shift:
    """班次: create or change (``starts_at``, ``ends_at``, ``place``, ``capacity``, ``credit_hours``).

    A shift created with its start already past is a 补登 shift (``backfill.py``). Once a shift has
    begun only its end may move, later; a move before that tells every volunteer holding a seat, who
    may then cancel until the start (``signups.cancel_closes_at``). A move that would put one of them
    on overlapping shifts is refused, naming them. The credited hours never exceed the shift's length."""
    require_host(actor, position.project)
    creating = shift.id is None
    values = dict(data)
    if not creating:
        # The form shows times to the minute: an unchanged minute keeps the stored time.
        for name in ("starts_at", "ends_at"):
            if _minute(values[name]) == _minute(getattr(shift, name)):
                values[name] = getattr(shift, name)
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    if ends_at <= starts_at:
        raise DomainError(_("结束时间必须晚于开始时间。"), field="ends_at")
    if values["capacity"] < max(shift.taken or 0, 1):
        raise DomainError(_("人数上限不能少于已录用人数（%(n)s）。", n=shift.taken or 0), field="capacity")
    hours = Decimal(values["credit_hours"])
    if hours <= 0:
        raise DomainError(_("认定时长必须大于 0。"), field="credit_hours")
    if hours * 3600 > int((ends_at - starts_at).total_seconds()):
        raise DomainError(
            _("认定时长不能超过班次的时长（%(h)s 小时）。", h=_length_in_hours(starts_at, ends_at)),
            field="credit_hours",
        )
    moved = not creating and (starts_at, ends_at) != (shift.starts_at, shift.ends_at)
    begun = moved and has_begun(shift)
    seated = [s for s in roster(shift) if s.status.holds_seat] if moved else []
    if moved:
        _check_move(shift, starts_at, ends_at, begun, seated)
    previous_start = shift.starts_at
    with audit.recording(actor, "shift.save", shift, SHIFT_FIELDS, project_id=position.project_id):
        shift.position_id = position.id
        for name in SHIFT_FIELDS:
            setattr(shift, name, values[name])
        if creating:
            shift.is_backfill = starts_at < clock.now()
    if moved and not begun:  # after the start only the end moves, and nobody may cancel any more
        _tell_of_move(shift, seated, previous_start)
    if not creating:
        promote(shift)  # a larger capacity admits the waiting list
    return shift


def _tell_of_move(shift: Shift, seated: list[Signup], previous_start: datetime) -> None:
    """Each volunteer holding a seat hears of the new time and may now cancel until the start; the
    day-before reminder goes again for the new day."""
    now = clock.now()
    shift.reminder_sent_at = None
    for signup in seated:
        signup.moved_at = now
        notify.send(signup.user, "volunteer.shift_moved", link=shift.url, shift=shift, was=previous_start)


def save_training(actor, project: Project | None, training: Training, data: dict) -> Training:
    """培训: hosts for their project; union staff for anyone (project None)."""
    if project is not None:
        permissions.require(actor, "project.host", project)
    else:
        permissions.require(actor, "project.post")
    training.project_id = project.id if project else None
    training.title, training.held_at, training.place = (
        data["title"].strip(),
        data["held_at"],
        data.get("place") or "",
    )
    training.created_by_id = training.created_by_id or actor.id
    db.session.add(training)
    db.session.flush()
    audit.record(
        actor, "training.save", training, after={"title": training.title}, project_id=training.project_id
    )
    return training


def record_training_attendance(actor, training: Training, data: dict) -> int:
    """Record the ``students`` (accounts) who attended ``training``; returns how many were new."""
    users = data["students"]
    if training.project_id is not None:
        permissions.require(actor, "project.host", db.session.get(Project, training.project_id))
    else:
        permissions.require(actor, "project.post")
    present = {a.user_id for a in training.attendees}
    added = 0
    for user in users:
        if user.id not in present:
            training.attendees.append(TrainingAttendance(user_id=user.id, recorded_by_id=actor.id))
            present.add(user.id)
            added += 1
    audit.record(
        actor, "training.attendance", training, after={"added": added}, project_id=training.project_id
    )
    return added


def completed_trainings(user) -> list[Training]:
    return db.session.scalars(
        select(Training)
        .join(TrainingAttendance, TrainingAttendance.training_id == Training.id)
        .where(TrainingAttendance.user_id == user.id)
        .order_by(Training.held_at.desc())
    ).all()
