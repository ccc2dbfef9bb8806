"""What the volunteer pages read: the open shifts, a project's positions, a student's sign-ups and
no-show records, a host's pending appeals, a shift's roster and its extras, whether a host has
accepted a student (who may then see the student's phone number), and a project's volunteer totals.

Each list loads what its rows show (position, project, requirements, user) in the same query or one
more, so a page issues the same number of queries however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, case, distinct, exists, func, not_, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload, undefer

from .. import actions, clock, draw, permissions
from ..accounts.models import User
from ..audit import AuditEntry
from ..extensions import db
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from ..timeutil import start_of_local_day
from .models import (
    AppealStatus,
    Attendance,
    NoShowAppeal,
    Position,
    Shift,
    Signup,
    SignupStatus,
    Training,
    TrainingAttendance,
)
from .signups import ACTIVE

PER_PAGE = 20
# How a student's current sign-ups are ordered: what needs an answer first.
UPCOMING_ORDER = {
    SignupStatus.OFFERED.value: 0,
    SignupStatus.ACCEPTED.value: 1,
    SignupStatus.WAITING.value: 2,
    SignupStatus.APPLIED.value: 3,
}


def training_with_attendees(training_id: int) -> Training | None:
    """The training (培训) with its attendees, their accounts and colleges: two queries, however many came."""
    return db.session.get(
        Training,
        training_id,
        options=[
            selectinload(Training.attendees).joinedload(TrainingAttendance.user).joinedload(User.college)
        ],
    )


def _requirements(position_path):
    """Loader options for what a position asks for and credits, below ``position_path``."""
    return (
        position_path.joinedload(Position.required_training),
        position_path.joinedload(Position.required_college),
        position_path.joinedload(Position.credit_category),
    )


def _shift_with_project():
    """Shifts joined to their position and project, both loaded from the join."""
    position = contains_eager(Shift.position)
    return (
        select(Shift)
        .join(Shift.position)
        .join(Position.project)
        .options(position.contains_eager(Position.project), *_requirements(position))
    )


def open_shifts(
    *, category: str = "", day: date | None = None, admission: str = "", seats: bool = False
) -> Select:
    """志愿招募: shifts of projects in hosting whose sign-up is still open, soonest first."""
    now = actions.NOW
    stmt = _shift_with_project().where(
        lifecycle.effective_state_in(ProjectState.HOSTING),
        Shift.starts_at > now,
        or_(Position.signup_closes_at.is_(None), Position.signup_closes_at > now),
    )
    if category:
        stmt = stmt.where(Project.category == category)
    if day is not None:
        stmt = stmt.where(
            Shift.starts_at >= start_of_local_day(day),
            Shift.starts_at < start_of_local_day(day + timedelta(days=1)),
        )
    if admission:
        stmt = stmt.where(Position.admission == admission)
    if seats:
        stmt = stmt.where(Shift.taken < Shift.capacity)
    return stmt.order_by(Shift.starts_at, Shift.id)


def project_positions(project: Project) -> list[Position]:
    """A project's positions with their shifts and requirements (two queries)."""
    return (
        db.session.scalars(
            select(Position)
            .where(Position.project_id == project.id)
            .options(
                selectinload(Position.shifts),
                joinedload(Position.required_training),
                joinedload(Position.required_college),
                joinedload(Position.credit_category),
            )
            .order_by(Position.created_at, Position.id)
        )
        .unique()
        .all()
    )


def shift_ids(positions: list[Position]) -> list[int]:
    return [shift.id for position in positions for shift in position.shifts]


def applied_counts(ids: list[int]) -> dict[int, int]:
    """How many wait for the host's decision or the draw, per shift (one grouped query)."""
    rows = db.session.execute(
        select(Signup.shift_id, func.count())
        .where(Signup.shift_id.in_(ids), Signup.status == SignupStatus.APPLIED)
        .group_by(Signup.shift_id)
    )
    return dict(rows.all())


def signups_by_shift(user, ids: list[int]) -> dict[int, Signup]:
    """The user's own sign-up on each of these shifts (nobody's when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    found = db.session.scalars(select(Signup).where(Signup.user_id == user.id, Signup.shift_id.in_(ids)))
    return {signup.shift_id: signup for signup in found}


def waiting_place(signup: Signup) -> int | None:
    """The student's place on the waiting list (1 = next to be promoted)."""
    if signup.status != SignupStatus.WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            Signup.shift_id == signup.shift_id,
            Signup.status == SignupStatus.WAITING,
            or_(
                Signup.queue_key < signup.queue_key,
                and_(Signup.queue_key == signup.queue_key, Signup.id < signup.id),
            ),
        )
    )
    return ahead + 1


# The steps that end a sign-up for the student when an offer is not confirmed in time.
LAPSING = ("signup.expire", "signup.lapse")


def offer_lapsed(signup: Signup) -> bool:
    """Whether a cancelled sign-up was ended by the clock — an offer left unconfirmed — rather than by
    the student: the status is the same, the audit entry of the last step says which."""
    if signup.status != SignupStatus.CANCELLED:
        return False
    last = db.session.scalar(
        select(AuditEntry.action)
        .where(AuditEntry.subject_type == Signup.__tablename__, AuditEntry.subject_id == signup.public_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return last in LAPSING


def drawn_order(shift: Shift, signups: list[Signup]) -> list[Signup]:
    """Everyone the lottery drew, in drawn order (replayable from the published seed)."""
    if shift.lottery_seed is None:
        return []
    drawn = [s for s in signups if s.queue_key == draw.draw_key(shift.lottery_seed, s.public_id)]
    return sorted(drawn, key=lambda s: s.queue_key)


def _signups_with_shift():
    shift = contains_eager(Signup.shift)
    position = shift.contains_eager(Shift.position)
    return (
        select(Signup)
        .join(Signup.shift)
        .join(Shift.position)
        .join(Position.project)
        .options(position.contains_eager(Position.project))
    )


def student_signups(user, *, upcoming: bool) -> Select:
    """我的志愿: current sign-ups (what needs an answer first), or the rest, latest first."""
    current = and_(Signup.status.in_(ACTIVE), Shift.ends_at > clock.now())
    stmt = _signups_with_shift().where(Signup.user_id == user.id)
    if upcoming:
        order = case(UPCOMING_ORDER, value=Signup.status)
        return stmt.where(current).order_by(order, Shift.starts_at, Signup.id)
    return stmt.where(not_(current)).order_by(Shift.starts_at.desc(), Signup.id.desc())


def no_show_records(user) -> list[tuple[Signup, NoShowAppeal | None]]:
    """诚信记录: the student's no-shows (and those cleared on appeal), each with its appeal if any."""
    rows = db.session.execute(
        _signups_with_shift()
        .add_columns(NoShowAppeal)
        .outerjoin(NoShowAppeal, NoShowAppeal.signup_id == Signup.id)
        .where(Signup.user_id == user.id, Signup.status.in_((SignupStatus.NO_SHOW, SignupStatus.EXCUSED)))
        .order_by(Shift.starts_at.desc())
    )
    return [tuple(row) for row in rows]


def calendar_signups(user) -> list[Signup]:
    """The shifts on the student's calendar feed: accepted ones only."""
    return (
        db.session.scalars(
            _signups_with_shift()
            .where(Signup.user_id == user.id, Signup.status == SignupStatus.ACCEPTED)
            .order_by(Shift.starts_at)
        )
        .unique()
        .all()
    )


def project_trainings(project: Project) -> list[Training]:
    return db.session.scalars(
        select(Training)
        .options(undefer(Training.attendee_count))
        .where(Training.project_id == project.id)
        .order_by(Training.held_at)
    ).all()


def pending_appeals(project: Project) -> list[NoShowAppeal]:
    """No-show appeals on the project's shifts that wait for the host's answer, oldest first."""
    signup = contains_eager(NoShowAppeal.signup)
    return (
        db.session.scalars(
            select(NoShowAppeal)
            .join(NoShowAppeal.signup)
            .join(Signup.shift)
            .join(Shift.position)
            .where(Position.project_id == project.id, NoShowAppeal.status == AppealStatus.PENDING)
            .options(
                signup.joinedload(Signup.user),
                signup.contains_eager(Signup.shift).contains_eager(Shift.position),
            )
            .order_by(NoShowAppeal.created_at)
        )
        .unique()
        .all()
    )


def roster(shift: Shift) -> list[Signup]:
    """Everyone signed up for the shift with their user, college and attendance, in one query whatever
    the size (a select-in load would go in batches of 500: a 1,000-person shift took seven)."""
    return db.session.scalars(
        select(Signup)
        .where(Signup.shift_id == shift.id)
        .options(joinedload(Signup.user).joinedload(User.college), joinedload(Signup.attendance))
        .order_by(Signup.status, Signup.queue_key, Signup.id)
    ).all()


def hosts_accepted(viewer, student) -> bool:
    """Is ``viewer`` a manager of the host of a project on which ``student`` was accepted? (Then the
    host may see the student's phone number.)"""
    managed = permissions.managed_org_ids(viewer)
    if not managed:
        return False
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(
                    Signup.user_id == student.id,
                    Signup.status.in_((SignupStatus.ACCEPTED, SignupStatus.OFFERED)),
                )
                .where(
                    Shift.id == Signup.shift_id,
                    Position.id == Shift.position_id,
                    Project.id == Position.project_id,
                )
                .where(Project.host_org_id.in_(managed))
            )
        )
    )


@dataclass(frozen=True)
class VolunteerTotals:
    """志愿者与时长: what a project's volunteering came to."""

    shifts: int
    accepted: int  # 人次 accepted onto a shift (those later absent included, those on leave not)
    attended: int  # 人次 with a check-in
    people: int  # different students who took part
    confirmed_hours: Decimal  # hours credited on shifts whose attendance the host has confirmed
    unconfirmed_shifts: int  # shifts over whose attendance the host has not confirmed yet


def volunteer_totals(project: Project) -> VolunteerTotals:
    """The project's volunteer numbers and confirmed hours: one aggregate query over its shifts,
    sign-ups and attendance, however many there are."""
    expected = Signup.status.in_([SignupStatus.ACCEPTED, SignupStatus.NO_SHOW, SignupStatus.EXCUSED])
    attended = Attendance.id.is_not(None)
    confirmed = Shift.attendance_confirmed_at.is_not(None)
    waiting = and_(Shift.ends_at <= clock.now(), Shift.attendance_confirmed_at.is_(None))
    row = db.session.execute(
        select(
            func.count(distinct(Shift.id)),
            func.count(case((expected, Signup.id))),
            func.count(Attendance.id),
            func.count(distinct(case((attended, Signup.user_id)))),
            func.coalesce(func.sum(case((confirmed, Attendance.credited_hours))), 0),
            func.count(distinct(case((waiting, Shift.id)))),
        )
        .select_from(Position)
        .join(Shift, Shift.position_id == Position.id)
        .outerjoin(Signup, Signup.shift_id == Shift.id)
        .outerjoin(Attendance, Attendance.signup_id == Signup.id)
        .where(Position.project_id == project.id)
    ).one()
    return VolunteerTotals(*row[:4], confirmed_hours=Decimal(str(row[4])), unconfirmed_shifts=row[5])
