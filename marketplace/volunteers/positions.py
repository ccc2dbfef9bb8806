"""The host's side of recruiting (招募): positions with their requirements and admission mode, shifts
with their capacity and credited hours, and trainings with their attendance (positions may require
one). Nothing here commits.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, permissions
from ..errors import DomainError
from ..extensions import db
from ..hosting.operations import require_host
from ..projects.models import Project
from .models import Admission, Position, Shift, Training, TrainingAttendance
from .signups import promote

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
    creating = position.id is None
    before = None if creating else audit.snapshot(position, POSITION_FIELDS)
    position.project_id = project.id
    for name in POSITION_FIELDS:
        setattr(position, name, data.get(name))
    position.required_political = list(data.get("required_political") or [])
    db.session.add(position)
    db.session.flush()
    audit.record(
        actor,
        "position.save",
        position,
        before=before,
        after=audit.snapshot(position, POSITION_FIELDS),
        project_id=project.id,
    )
    return position


def save_shift(actor, position: Position, shift: Shift, data: dict) -> Shift:
    require_host(actor, position.project)
    if data["ends_at"] <= data["starts_at"]:
        raise DomainError(_("结束时间必须晚于开始时间。"), field="ends_at")
    if data["capacity"] < max(shift.taken or 0, 1):
        raise DomainError(_("人数上限不能少于已录用人数（%(n)s）。", n=shift.taken or 0), field="capacity")
    hours = Decimal(data["credit_hours"])
    if hours <= 0:
        raise DomainError(_("认定时长必须大于 0。"), field="credit_hours")
    creating = shift.id is None
    before = None if creating else audit.snapshot(shift, SHIFT_FIELDS)
    shift.position_id = position.id
    for name in SHIFT_FIELDS:
        setattr(shift, name, data[name])
    db.session.add(shift)
    db.session.flush()
    audit.record(
        actor,
        "shift.save",
        shift,
        before=before,
        after=audit.snapshot(shift, SHIFT_FIELDS),
        project_id=position.project_id,
    )
    if not creating:
        promote(shift)  # a larger capacity admits the waiting list
    return shift


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
