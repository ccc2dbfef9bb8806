"""What the home page asks of volunteering (待办): the shifts a student may sign up for now, their next
shift, what waits for their answer; and for a host, the shifts of today and what waits for a decision.

The shifts open to a student are filtered in SQL by ``signups.open_to_viewer`` — the same condition
``sign_up`` is checked against — so the list offers nothing the button would refuse. Each row kind is
a SELECT of ``ref, title, at, n`` (see ``marketplace/actions.py``).
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, String, and_, cast, func, literal, or_, select
from sqlalchemy.orm import contains_eager

from .. import actions, clock
from ..extensions import db
from ..projects.models import Project
from ..timeutil import start_of_local_day
from .models import Admission, AppealStatus, NoShowAppeal, Position, Shift, Signup, SignupStatus
from .queries import open_shifts
from .signups import open_to_viewer

# The button a shift offers, by how its position admits.
SIGN_UP_LABELS = {
    Admission.FIRST_COME: _l("报名"),
    Admission.APPROVAL: _l("申请"),
    Admission.LOTTERY: _l("参加抽签"),
}


# The student's statements here are built once per process and run for each student (see
# ``actions.viewing``): building them cost more than running them.


def shifts_open_to(user) -> list[Shift]:
    """志愿招募 for one student: shifts they may sign up for now, not full, soonest first (one
    statement)."""
    with actions.viewing(user):
        return db.session.scalars(_shifts_open_to_viewer()).unique().all()


@cache
def _shifts_open_to_viewer() -> Select:
    # A lottery shift is never full before its draw: everyone signed up takes part.
    seats = or_(
        Shift.taken < Shift.capacity,
        and_(Position.admission == Admission.LOTTERY, Shift.lottery_drawn_at.is_(None)),
    )
    return open_shifts().where(seats, open_to_viewer()).limit(actions.SHOWN)


def next_shift(user) -> Signup | None:
    """The student's next accepted shift that has not ended, with its position and project (one
    statement)."""
    with actions.viewing(user):
        return db.session.scalars(_next_shift_of_viewer()).first()


@cache
def _next_shift_of_viewer() -> Select:
    # The student's accepted sign-ups are read first, a few dozen rows. Asked as one join, PostgreSQL
    # walked the school's shifts in time order from the earliest, every past one included, for the
    # first that was theirs.
    accepted = (
        select(Signup.id)
        .where(Signup.user_id == actions.VIEWER.id, Signup.status == SignupStatus.ACCEPTED)
        .cte("accepted")
        .prefix_with("MATERIALIZED")
    )
    shift = contains_eager(Signup.shift)
    return (
        select(Signup)
        .join(accepted, accepted.c.id == Signup.id)
        .join(Signup.shift)
        .join(Shift.position)
        .join(Position.project)
        .options(shift.contains_eager(Shift.position).contains_eager(Position.project))
        .where(Shift.ends_at > actions.NOW)
        .order_by(Shift.starts_at)
        .limit(1)
    )


def on_the_day(shift: Shift) -> bool:
    """The check-in button shows on the shift's day (the school's calendar) until it ends."""
    today = start_of_local_day(clock.today_local())
    return (
        today <= shift.starts_at < today + timedelta(days=1) or shift.starts_at <= clock.now() < shift.ends_at
    )


def _own(viewer, *statuses):
    return (
        select()
        .select_from(Signup)
        .join(Shift, Shift.id == Signup.shift_id)
        .join(Position, Position.id == Shift.position_id)
        .join(Project, Project.id == Position.project_id)
        .where(Signup.user_id == viewer.id, Signup.status.in_(statuses))
    )


# -- the student's rows ----------------------------------------------------------------------------------


@actions.kind(
    "signup.offered",
    _l("候补递补待确认：%(title)s"),
    lambda ref: url_for("volunteers.shift", shift_id=int(ref)),
    when=_l("%(at)s 前确认"),
)
def offers_to_confirm(viewer) -> Select:
    return _own(viewer, SignupStatus.OFFERED).add_columns(
        cast(Shift.id, String).label("ref"),
        Project.title.label("title"),
        Signup.offer_expires_at.label("at"),
        literal(1).label("n"),
    )


@actions.kind(
    "signup.no_show",
    _l("记为缺勤，可以申诉：%(title)s"),
    lambda ref: url_for("volunteers.mine", _anchor="records"),
)
def no_shows_to_answer(viewer) -> Select:
    """缺勤 records the student has not appealed, within the last month (an appeal is still timely)."""
    since = actions.ago(days=30)
    return (
        _own(viewer, SignupStatus.NO_SHOW)
        .outerjoin(NoShowAppeal, NoShowAppeal.signup_id == Signup.id)
        .where(NoShowAppeal.id.is_(None), Shift.ends_at > since)
        .add_columns(
            cast(Shift.id, String).label("ref"),
            Project.title.label("title"),
            Shift.ends_at.label("at"),
            literal(1).label("n"),
        )
    )


@actions.kind(
    "no_show_appeal.ruled",
    _l("缺勤申诉已有结果：%(title)s"),
    lambda ref: url_for("volunteers.mine", _anchor="records"),
)
def no_show_appeals_ruled(viewer) -> Select:
    """Appeals ruled in the last fortnight: the student reads the answer."""
    since = actions.ago(days=14)
    return (
        _own(viewer, SignupStatus.NO_SHOW, SignupStatus.EXCUSED)
        .join(NoShowAppeal, NoShowAppeal.signup_id == Signup.id)
        .where(NoShowAppeal.status != AppealStatus.PENDING, NoShowAppeal.ruled_at > since)
        .add_columns(
            cast(Shift.id, String).label("ref"),
            Project.title.label("title"),
            NoShowAppeal.ruled_at.label("at"),
            literal(1).label("n"),
        )
    )


@actions.kind(
    "signup.decided",
    _l("报名有了结果：%(title)s"),
    lambda ref: url_for("volunteers.shift", shift_id=int(ref)),
)
def signups_decided(viewer) -> Select:
    """Sign-ups the host or the draw answered in the last three days, on shifts still to come (请假 is
    the student's own step and needs no answer)."""
    return (
        _own(viewer, SignupStatus.ACCEPTED, SignupStatus.REJECTED, SignupStatus.WAITING)
        .where(
            Position.admission != Admission.FIRST_COME,
            Signup.updated_at > actions.ago(days=3),
            Shift.starts_at > actions.NOW,
        )
        .add_columns(
            cast(Shift.id, String).label("ref"),
            Project.title.label("title"),
            Signup.updated_at.label("at"),
            literal(1).label("n"),
        )
    )


# -- the host's rows ---------------------------------------------------------------------------------------


def _hosted(viewer) -> Select:
    return (
        select()
        .select_from(Shift)
        .join(Position, Position.id == Shift.position_id)
        .join(Project, Project.id == Position.project_id)
        .where(Project.host_org_id.in_(viewer.managed_org_ids))
    )


@actions.kind(
    "shift.today",
    _l("今天的班次：%(title)s（出示签到码）"),
    lambda ref: url_for("hosting.checkin_code", shift_id=int(ref)),
    when=_l("%(at)s 开始"),
    applies=actions.manages,
)
def shifts_today(viewer) -> Select:
    return (
        _hosted(viewer)
        .where(
            Shift.starts_at >= actions.start_of_today(),
            Shift.starts_at < actions.start_of_today(days=1),
            Shift.ends_at > actions.NOW,
            Shift.is_backfill.is_(False),
        )
        .add_columns(
            cast(Shift.id, String).label("ref"),
            (Project.title + " · " + Position.title).label("title"),
            Shift.starts_at.label("at"),
            literal(1).label("n"),
        )
    )


@actions.kind(
    "signup.to_decide",
    _l("%(title)s：%(n)s 人报名待审核"),
    lambda ref: url_for("hosting.roster", shift_id=int(ref)),
    when=_l("班次 %(at)s 开始"),
    applies=actions.manages,
)
def signups_to_decide(viewer) -> Select:
    return (
        _hosted(viewer)
        .join(Signup, Signup.shift_id == Shift.id)
        .where(
            Signup.status == SignupStatus.APPLIED,
            Position.admission == Admission.APPROVAL,
            Shift.starts_at > actions.NOW,
        )
        .group_by(Shift.id, Project.title, Position.title, Shift.starts_at)
        .add_columns(
            cast(Shift.id, String).label("ref"),
            (Project.title + " · " + Position.title).label("title"),
            Shift.starts_at.label("at"),
            func.count(Signup.id).label("n"),
        )
    )


@actions.kind(
    "shift.attendance",
    _l("确认考勤：%(title)s"),
    lambda ref: url_for("hosting.roster", shift_id=int(ref)),
    when=_l("%(at)s 结束"),
    applies=actions.manages,
)
def attendance_to_confirm(viewer) -> Select:
    ended = and_(Shift.ends_at <= actions.NOW, Shift.attendance_confirmed_at.is_(None))
    return (
        _hosted(viewer)
        .where(ended)
        .add_columns(
            cast(Shift.id, String).label("ref"),
            (Project.title + " · " + Position.title).label("title"),
            Shift.ends_at.label("at"),
            literal(1).label("n"),
        )
    )


@actions.kind(
    "no_show_appeal.pending",
    _l("缺勤申诉待处理：%(title)s"),
    lambda ref: url_for("hosting.console", project_id=int(ref), _anchor="appeals"),
    applies=actions.manages,
)
def no_show_appeals_to_rule(viewer) -> Select:
    return (
        _hosted(viewer)
        .join(Signup, Signup.shift_id == Shift.id)
        .join(NoShowAppeal, NoShowAppeal.signup_id == Signup.id)
        .where(NoShowAppeal.status == AppealStatus.PENDING)
        .group_by(Project.id, Project.title)
        .add_columns(
            cast(Project.id, String).label("ref"),
            Project.title.label("title"),
            func.min(NoShowAppeal.created_at).label("at"),
            func.count(NoShowAppeal.id).label("n"),
        )
    )


STUDENT_KINDS = [offers_to_confirm, no_shows_to_answer, no_show_appeals_ruled, signups_decided]
HOST_KINDS = [shifts_today, signups_to_decide, attendance_to_confirm, no_show_appeals_to_rule]
