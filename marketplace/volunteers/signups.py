"""Sign-ups (报名): their status table, the student's own steps — sign up, cancel, take leave — and
the waiting list that a freed seat is handed to.

``SIGNUP_TRANSITIONS`` says which action leads from which statuses to which; ``move_signup`` is the
only way a sign-up's status changes (the host's decision and the draw in ``admission.py``, the
clock's steps in ``tasks.py``, attendance and no-shows included), and it writes the audit entry —
recording that a reason was given, never the reason (a leave reason is personal). Seats move alongside
through ``seats.py``. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Integer, Select, String, and_, cast, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import actions, clock, permissions, settings
from ..accounts.models import AccountKind
from ..errors import DomainError
from ..extensions import db
from ..models_base import public_id
from ..notify import operations as notify
from ..projects import lifecycle
from ..projects.models import ProjectState
from ..school.models import term_containing
from ..statuses import NEW, StatusTable
from ..timeutil import SCHOOL_TZ, start_of_local_day
from .models import Admission, Position, Shift, Signup, TrainingAttendance
from .models import SignupStatus as S
from .seats import release_seat, take_seat

ACTIVE = (S.APPLIED, S.ACCEPTED, S.OFFERED, S.WAITING)

# action -> (statuses it may start from, status it leads to)
SIGNUP_TRANSITIONS = {
    "sign_up": (frozenset({NEW, S.CANCELLED}), S.APPLIED),  # signing up again reuses the sign-up
    "register": (frozenset({NEW}), S.ACCEPTED),  # 补登: the host enters who took part (backfill.py)
    "accept": (frozenset({S.APPLIED}), S.ACCEPTED),  # a seat: first come, the host's yes, the draw
    "wait": (frozenset({S.APPLIED}), S.WAITING),  # 候补: the shift is full, or drawn already
    "reject": (frozenset({S.APPLIED}), S.REJECTED),  # 评审制: the host's no
    "promote": (frozenset({S.WAITING}), S.ACCEPTED),  # a freed seat, well before the shift
    "offer": (frozenset({S.WAITING}), S.OFFERED),  # a freed seat close to the shift: to be confirmed
    "confirm": (frozenset({S.OFFERED}), S.ACCEPTED),
    "expire": (frozenset({S.OFFERED}), S.CANCELLED),  # the offer was not confirmed in time
    "lapse": (frozenset({S.OFFERED}), S.CANCELLED),  # the shift ended with the offer unconfirmed
    "cancel": (frozenset(ACTIVE), S.CANCELLED),
    "leave": (frozenset({S.ACCEPTED, S.OFFERED}), S.LEAVE),  # 请假
    "no_show": (frozenset({S.ACCEPTED}), S.NO_SHOW),  # 缺勤
    "mark_present": (frozenset({S.NO_SHOW}), S.ACCEPTED),  # the host corrects a wrong no-show
    "excuse": (frozenset({S.NO_SHOW}), S.EXCUSED),  # a no-show appeal upheld
    "end_with_project": (frozenset(ACTIVE), S.PROJECT_CANCELLED),  # the project was cancelled
}


def _signup_facts(action: str, actor, reason: str | None) -> dict:
    # Only an offer has a deadline; the move that sets OFFERED passes it.
    facts = {"updated_at": clock.now(), "offer_expires_at": None}
    if action == "leave":
        facts["leave_reason"] = reason
    return facts


SIGNUPS = StatusTable("signup", _l("这条报名"), SIGNUP_TRANSITIONS, facts=_signup_facts)


def move_signup(signup: Signup, action: str, actor, *, reason: str | None = None, **facts) -> None:
    """The only way a sign-up's status changes (actor None: the system's own step)."""
    SIGNUPS.move(signup, action, actor, reason=reason, project_id=signup.shift.position.project_id, **facts)


# -- the waiting list -----------------------------------------------------------------------------------


def promote(shift: Shift) -> None:
    """Fill free seats from the waiting list, in order. Close to the shift, a promotion is an offer the
    student confirms (and may let lapse without penalty)."""
    now = clock.now()
    near = now >= shift.starts_at - timedelta(hours=settings.get("promotion_confirm_hours"))
    while True:
        waiting = db.session.scalar(
            select(Signup)
            .where(Signup.shift_id == shift.id, Signup.status == S.WAITING)
            .order_by(Signup.queue_key, Signup.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=Signup)
        )
        if waiting is None or now >= shift.starts_at or not take_seat(shift):
            return
        if near:
            expires = min(now + timedelta(hours=settings.get("offer_hours")), shift.starts_at)
            move_signup(waiting, "offer", None, offer_expires_at=expires)
            notify.send(waiting.user, "volunteer.offered", link=shift.url, shift=shift, signup=waiting)
        else:
            move_signup(waiting, "promote", None)
            notify.send(waiting.user, "volunteer.promoted", link=shift.url, shift=shift)


# -- the student's side -------------------------------------------------------------------------------


def signup_closes_at(shift: Shift) -> datetime:
    closes = shift.position.signup_closes_at
    return min(closes, shift.starts_at) if closes else shift.starts_at


def cancel_cutoff(shift: Shift) -> datetime:
    """From here on a volunteer holding a seat may no longer cancel, only ask for leave."""
    return shift.starts_at - timedelta(hours=settings.get("cancel_cutoff_hours"))


def cancel_closes_at(signup: Signup) -> datetime:
    """Until when ``signup``, holding a seat, may be cancelled: the cut-off — or the shift's start when
    the host moved the shift after the volunteer was accepted (the new time may not suit them)."""
    return signup.shift.starts_at if signup.moved_at is not None else cancel_cutoff(signup.shift)


@cache
def _no_shows_of_viewer() -> Select:
    return (
        select(Shift.starts_at, Shift.ends_at)
        .join(Signup, Signup.shift_id == Shift.id)
        .where(Signup.user_id == actions.VIEWER.id, Signup.status == S.NO_SHOW)
    )


def blocked_until(user) -> datetime | None:
    """诚信记录: this many no-shows within the current term block new sign-ups for a while."""
    now = clock.now()
    count = settings.get("no_show_block_count")
    with actions.viewing(user):
        absent = db.session.execute(_no_shows_of_viewer()).all()
    if len(absent) < count:  # most students: the term need not be looked up
        return None
    term = term_containing(now)
    if term is not None:
        since = start_of_local_day(term.starts_on)
        absent = [row for row in absent if row.starts_at >= since]
    ends = sorted(row.ends_at for row in absent)
    if len(ends) < count:
        return None
    until = ends[-1] + timedelta(days=settings.get("no_show_block_days"))
    return until if until > now else None


# The student the requirements are asked for, as bound values (see ``actions.viewing``). A college or a
# 政治面貌 they have not given compares as NULL, which meets no requirement.
_COLLEGE = actions.of_viewer(lambda user: user.college_id, Integer())
_POLITICAL = actions.of_viewer(
    lambda user: f'"{user.political_status.value}"' if user.political_status else None, String()
)
# An unknown grade meets no minimum and no maximum.
_GRADE_FOR_MINIMUM = actions.of_viewer(lambda user: user.grade or 0, Integer())
_GRADE_FOR_MAXIMUM = actions.of_viewer(lambda user: user.grade or 9999, Integer())


@cache
def _requirements() -> list[tuple[ColumnElement, Callable[[Position], str]]]:
    """A position's requirements as SQL conditions on ``Position`` for the student being viewed
    (``actions.viewing``), each with the words that tell the student what is missing. The one
    statement of these rules: :func:`unmet_requirement` asks them of one position, :func:`open_to_viewer`
    filters lists of shifts by them."""
    trained = exists().where(
        TrainingAttendance.training_id == Position.required_training_id,
        TrainingAttendance.user_id == actions.VIEWER.id,
    )
    college = or_(Position.required_college_id.is_(None), Position.required_college_id == _COLLEGE)
    # 政治面貌 is a JSON list of values: empty means anyone. Matched on its text, the same on every
    # database (a value is a quoted word that no other value contains).
    required = cast(Position.required_political, String)
    political = or_(required.in_(("[]", "null")), required.contains(_POLITICAL))
    return [
        (
            or_(Position.required_training_id.is_(None), trained),
            lambda p: _("需先参加培训「%(t)s」。", t=p.required_training.title),
        ),
        (
            college,
            lambda p: _("仅限%(c)s的同学报名。", c=p.required_college.name),
        ),
        (
            or_(
                Position.min_grade.is_(None),
                Position.min_grade == 0,
                Position.min_grade <= _GRADE_FOR_MINIMUM,
            ),
            lambda p: _("仅限 %(g)s 级及以后入学的同学报名。", g=p.min_grade),
        ),
        (
            or_(
                Position.max_grade.is_(None),
                Position.max_grade == 0,
                Position.max_grade >= _GRADE_FOR_MAXIMUM,
            ),
            lambda p: _("仅限 %(g)s 级及以前入学的同学报名。", g=p.max_grade),
        ),
        (
            or_(Position.required_political.is_(None), political),
            lambda p: _("该岗位对政治面貌有要求，请先在个人资料中填写。"),
        ),
    ]


def unmet_requirement(user, position: Position) -> str | None:
    """Why ``user`` may not take this position, in words for them; None when nothing is missing."""
    checks = _requirements()
    with actions.viewing(user):
        met = db.session.execute(
            select(*(clause for clause, _words in checks))
            .select_from(Position)
            .where(Position.id == position.id)
        ).one()
    for ok, (_clause, words) in zip(met, checks, strict=True):
        if not ok:
            return words(position)
    return None


def _clashing(user_ids, starts_at, ends_at, besides_id) -> ColumnElement:
    """Active sign-ups of these students, on a shift other than ``besides_id``, overlapping the time
    from ``starts_at`` to ``ends_at`` (a condition on ``Signup`` joined to its ``Shift``): a student
    cannot hold overlapping shifts."""
    return and_(
        Signup.user_id.in_(user_ids),
        Signup.status.in_(ACTIVE),
        _overlaps(Signup.shift_id, Shift.starts_at, Shift.ends_at, besides_id, starts_at, ends_at),
    )


def _overlaps(held_id, held_starts, held_ends, besides_id, starts_at, ends_at) -> ColumnElement:
    """A held shift, other than ``besides_id``, overlaps the time from ``starts_at`` to ``ends_at``."""
    return and_(held_id != besides_id, held_starts < ends_at, held_ends > starts_at)


def open_to_viewer() -> ColumnElement:
    """The shifts (a condition on ``Shift`` joined to its ``Position``) the student being viewed
    (``actions.viewing``) may sign up for as far as they are concerned: every requirement met, not
    signed up already (a cancelled sign-up may sign up again), no overlap with their active sign-ups —
    the checks of :func:`sign_up` as one condition."""
    viewer = actions.VIEWER
    signed = exists().where(
        Signup.shift_id == Shift.id, Signup.user_id == viewer.id, Signup.status != S.CANCELLED
    )
    # The student's active sign-ups are read once, a few dozen rows, and each candidate is compared
    # with them. Asked as a subquery joined to the shift table, PostgreSQL walked the shift's time
    # index once per candidate instead: 1.4 s of the home page at school scale.
    held = (
        select(Shift.id, Shift.starts_at, Shift.ends_at)
        .join(Signup, Signup.shift_id == Shift.id)
        .where(Signup.user_id == viewer.id, Signup.status.in_(ACTIVE))
        .cte("held")
        .prefix_with("MATERIALIZED")
    )
    clash = exists().where(
        _overlaps(held.c.id, held.c.starts_at, held.c.ends_at, Shift.id, Shift.starts_at, Shift.ends_at)
    )
    return and_(*(clause for clause, _words in _requirements()), ~signed, ~clash)


def overlapping(user_ids, starts_at: datetime, ends_at: datetime, *, besides: Shift) -> list[Signup]:
    """The active sign-ups of these students, on shifts other than ``besides``, that overlap the time
    from ``starts_at`` to ``ends_at`` (one query): a student cannot hold overlapping shifts."""
    user_ids = list(user_ids)
    if not user_ids:
        return []
    return db.session.scalars(
        select(Signup)
        .join(Shift, Shift.id == Signup.shift_id)
        .where(_clashing(user_ids, starts_at, ends_at, besides.id))
        .options(selectinload(Signup.user))
        .order_by(Signup.user_id, Shift.starts_at)
    ).all()


def _own_and_clashing(student, shift: Shift) -> tuple[Signup | None, Signup | None]:
    """The student's sign-up for ``shift`` if any, and an active one of theirs on another shift that
    overlaps it (one query: what :func:`overlapping` asks, and the sign-up itself)."""
    clashing = _clashing([student.id], shift.starts_at, shift.ends_at, shift.id)
    own, clash = None, None
    for found in db.session.scalars(
        select(Signup)
        .join(Shift, Shift.id == Signup.shift_id)
        .where(or_(and_(Signup.user_id == student.id, Signup.shift_id == shift.id), clashing))
        .order_by(Shift.starts_at)
    ):
        if found.shift_id == shift.id:
            own = found
        elif clash is None:
            clash = found
    return own, clash


def sign_up(student, shift: Shift) -> Signup:
    """报名. First come takes a seat or joins the waiting list; approval and lottery apply."""
    if not permissions.can(student, "account.write") or student.kind != AccountKind.STUDENT:
        abort(403)
    position = shift.position
    if lifecycle.effective_state(position.project) != ProjectState.HOSTING:
        raise DomainError(_("项目不在承办阶段，暂不招募。"))
    if shift.is_backfill:
        raise DomainError(_("这是补登班次（活动已经举行），不接受报名；参加的同学由承办方登记。"))
    now = clock.now()
    if now >= signup_closes_at(shift):
        raise DomainError(_("这个班次的报名已经截止。"))
    if (until := blocked_until(student)) is not None:
        raise DomainError(
            _(
                "你本学期缺勤次数较多，%(d)s 前暂不能报名。如有异议可对缺勤记录提出申诉。",
                d=until.astimezone(SCHOOL_TZ).strftime("%Y-%m-%d"),
            )
        )
    if (reason := unmet_requirement(student, position)) is not None:
        raise DomainError(reason)
    signup, clash = _own_and_clashing(student, shift)
    if clash is not None:
        raise DomainError(_("与你已报名的班次时间冲突（%(p)s）。", p=clash.shift.position.title))
    if signup is not None and signup.status != S.CANCELLED:
        raise DomainError(_("你已经报过这个班次了（%(s)s）。", s=signup.status.label))
    queue_key = now.isoformat()
    first_come = position.admission == Admission.FIRST_COME
    try:
        with db.session.begin_nested():
            # First come: the seat first, so that a new sign-up is written once, in its final
            # status. The shift's row stays locked from here to the commit; a duplicate sign-up
            # (two clicks at once) rolls the seat back with the savepoint.
            seated = first_come and take_seat(shift)
            if signup is None:
                signup = Signup(shift=shift, user_id=student.id, public_id=public_id(), created_at=now)
                db.session.add(signup)
            # Signing up again knows of any earlier move: it no longer excuses a late cancel.
            move_signup(signup, "sign_up", student, queue_key=queue_key, moved_at=None)
            if first_come:
                move_signup(signup, "accept" if seated else "wait", student)
    except IntegrityError:
        raise DomainError(_("你已经报过这个班次了。")) from None
    if first_come:
        kind = "volunteer.accepted" if seated else "volunteer.waiting"
        notify.send(student, kind, link=shift.url, shift=shift)
    elif position.admission == Admission.LOTTERY and shift.lottery_drawn_at is not None:
        # After the draw: behind everyone drawn ("~" sorts after the hex draw keys).
        move_signup(signup, "wait", student, queue_key="~" + queue_key)
        notify.send(student, "volunteer.waiting", link=shift.url, shift=shift)
    else:
        notify.send(student, "volunteer.applied", link=shift.url, shift=shift, position=position)
    return signup


def own(student, signup: Signup) -> None:
    """The student acting on their own sign-up (404 for anyone else's)."""
    if signup.user_id != student.id or not permissions.can(student, "account.write"):
        abort(404)


def cancel(student, signup: Signup) -> None:
    """取消报名, until the cut-off before the shift (or its start, once the host moved it after the
    volunteer was accepted); a freed seat goes to the waiting list."""
    own(student, signup)
    shift = signup.shift
    if signup.status not in ACTIVE:
        raise DomainError(_("这条报名已经不能取消。"))
    if signup.status.holds_seat and clock.now() >= cancel_closes_at(signup):
        raise DomainError(
            _("班次开始前 %(h)s 小时内不能取消；如有急事请请假。", h=settings.get("cancel_cutoff_hours"))
        )
    held = signup.status.holds_seat
    move_signup(signup, "cancel", student)
    if held:
        release_seat(shift)
        promote(shift)


def request_leave(student, signup: Signup, data: dict) -> None:
    """请假 before the shift starts, for ``data["reason"]``: the seat goes to the waiting list and no
    no-show is marked."""
    reason = data["reason"]
    own(student, signup)
    if not signup.status.holds_seat:
        raise DomainError(_("只有已录用的班次可以请假。"))
    if clock.now() >= signup.shift.starts_at:
        raise DomainError(_("班次已经开始，不能再请假，请联系承办方。"))
    if not (reason or "").strip():
        raise DomainError(_("请填写请假原因。"), field="reason")
    move_signup(signup, "leave", student, reason=reason.strip())
    release_seat(signup.shift)
    promote(signup.shift)
