"""Recruiting and managing volunteers: positions and shifts, sign-up under the three admission modes,
the waiting list, leave and no-shows, training, and attendance by rotating code.

Seats: ``Shift.taken`` moves only through ``_take_seat``/``_release_seat``, conditional UPDATEs that
the database serialises per shift row, and a CHECK keeps ``taken <= capacity`` — so capacity holds
under any number of concurrent sign-ups. Nothing here commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import audit, clock, draw, permissions, settings
from ..accounts.models import AccountKind, User
from ..credits.records import create_from_attendance
from ..errors import DomainError
from ..extensions import db
from ..hosting.operations import require_host
from ..models_base import claim_once
from ..notify import operations as notify
from ..projects import lifecycle
from ..projects.models import Project, ProjectState
from ..school.models import term_containing
from ..timeutil import SCHOOL_TZ, start_of_local_day
from .models import (
    Admission,
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

ACTIVE = (SignupStatus.APPLIED, SignupStatus.ACCEPTED, SignupStatus.OFFERED, SignupStatus.WAITING)
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


# -- the host's side: positions, shifts, trainings ---------------------------------------------------


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
        _promote(shift)  # a larger capacity admits the waiting list
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


def record_training_attendance(actor, training: Training, users: list[User]) -> int:
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


# -- seats -------------------------------------------------------------------------------------------


def _take_seat(shift: Shift) -> bool:
    taken = db.session.execute(
        update(Shift)
        .where(Shift.id == shift.id, Shift.taken < Shift.capacity)
        .values(taken=Shift.taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(shift, ["taken"])
    return taken.rowcount == 1


def _release_seat(shift: Shift) -> None:
    db.session.execute(
        update(Shift)
        .where(Shift.id == shift.id, Shift.taken > 0)
        .values(taken=Shift.taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(shift, ["taken"])


def _set(signup: Signup, status: SignupStatus, **fields) -> None:
    signup.status = status
    signup.updated_at = clock.now()
    for name, value in fields.items():
        setattr(signup, name, value)


def _link(shift: Shift) -> str:
    return f"/volunteer/shifts/{shift.id}"


def _promote(shift: Shift) -> None:
    """Fill free seats from the waiting list, in order. Close to the shift, a promotion is an offer the
    student confirms (and may let lapse without penalty)."""
    now = clock.now()
    near = now >= shift.starts_at - timedelta(hours=settings.get("promotion_confirm_hours"))
    while True:
        waiting = db.session.scalar(
            select(Signup)
            .where(Signup.shift_id == shift.id, Signup.status == SignupStatus.WAITING)
            .order_by(Signup.queue_key, Signup.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=Signup)
        )
        if waiting is None or now >= shift.starts_at or not _take_seat(shift):
            return
        if near:
            expires = min(now + timedelta(hours=settings.get("offer_hours")), shift.starts_at)
            _set(waiting, SignupStatus.OFFERED, offer_expires_at=expires)
            notify.send(waiting.user, "volunteer.offered", link=_link(shift), shift=shift, signup=waiting)
        else:
            _set(waiting, SignupStatus.ACCEPTED)
            notify.send(waiting.user, "volunteer.promoted", link=_link(shift), shift=shift)


# -- the student's side -------------------------------------------------------------------------------


def signup_closes_at(shift: Shift) -> datetime:
    closes = shift.position.signup_closes_at
    return min(closes, shift.starts_at) if closes else shift.starts_at


def cancel_cutoff(shift: Shift) -> datetime:
    """From here on a volunteer holding a seat may no longer cancel, only ask for leave."""
    return shift.starts_at - timedelta(hours=settings.get("cancel_cutoff_hours"))


def blocked_until(user) -> datetime | None:
    """诚信记录: this many no-shows within the current term block new sign-ups for a while."""
    now = clock.now()
    term = term_containing(now)
    stmt = (
        select(Shift.ends_at)
        .join(Signup, Signup.shift_id == Shift.id)
        .where(Signup.user_id == user.id, Signup.status == SignupStatus.NO_SHOW)
    )
    if term is not None:
        stmt = stmt.where(Shift.starts_at >= start_of_local_day(term.starts_on))
    ends = sorted(db.session.scalars(stmt).all())
    if len(ends) < settings.get("no_show_block_count"):
        return None
    until = ends[-1] + timedelta(days=settings.get("no_show_block_days"))
    return until if until > now else None


def unmet_requirement(user, position: Position) -> str | None:
    """Why ``user`` may not take this position, in words for them; None when nothing is missing."""
    if position.required_training_id and not db.session.scalar(
        select(TrainingAttendance.id).where(
            TrainingAttendance.training_id == position.required_training_id,
            TrainingAttendance.user_id == user.id,
        )
    ):
        return _("需先参加培训「%(t)s」。", t=position.required_training.title)
    if position.required_college_id and user.college_id != position.required_college_id:
        return _("仅限%(c)s的同学报名。", c=position.required_college.name)
    if position.min_grade and (user.grade or 0) < position.min_grade:
        return _("仅限 %(g)s 级及以后入学的同学报名。", g=position.min_grade)
    if position.max_grade and (user.grade or 9999) > position.max_grade:
        return _("仅限 %(g)s 级及以前入学的同学报名。", g=position.max_grade)
    if position.required_political and (
        user.political_status is None or user.political_status.value not in position.required_political
    ):
        return _("该岗位对政治面貌有要求，请先在个人资料中填写。")
    return None


def _overlapping(user, shift: Shift) -> Signup | None:
    return db.session.scalar(
        select(Signup)
        .join(Shift, Shift.id == Signup.shift_id)
        .where(
            Signup.user_id == user.id,
            Signup.shift_id != shift.id,
            Signup.status.in_(ACTIVE),
            Shift.starts_at < shift.ends_at,
            Shift.ends_at > shift.starts_at,
        )
        .limit(1)
    )


def sign_up(student, shift: Shift) -> Signup:
    """报名. First come takes a seat or joins the waiting list; approval and lottery apply."""
    if not permissions.can(student, "account.write") or student.kind != AccountKind.STUDENT:
        abort(403)
    position = shift.position
    if lifecycle.effective_state(position.project) != ProjectState.HOSTING:
        raise DomainError(_("项目不在承办阶段，暂不招募。"))
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
    if (other := _overlapping(student, shift)) is not None:
        raise DomainError(_("与你已报名的班次时间冲突（%(p)s）。", p=other.shift.position.title))
    signup = db.session.scalar(
        select(Signup).where(Signup.shift_id == shift.id, Signup.user_id == student.id)
    )
    if signup is not None and signup.status != SignupStatus.CANCELLED:
        raise DomainError(_("你已经报过这个班次了（%(s)s）。", s=signup.status.label))
    if signup is None:
        signup = Signup(shift_id=shift.id, user_id=student.id, status=SignupStatus.APPLIED, created_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(signup)
                db.session.flush()
        except IntegrityError:
            raise DomainError(_("你已经报过这个班次了。")) from None
    queue_key = now.isoformat()
    if position.admission == Admission.FIRST_COME:
        if _take_seat(shift):
            _set(signup, SignupStatus.ACCEPTED, queue_key=queue_key)
            notify.send(student, "volunteer.accepted", link=_link(shift), shift=shift)
        else:
            _set(signup, SignupStatus.WAITING, queue_key=queue_key)
            notify.send(student, "volunteer.waiting", link=_link(shift), shift=shift)
    elif position.admission == Admission.LOTTERY and shift.lottery_drawn_at is not None:
        # After the draw: behind everyone drawn ("~" sorts after the hex draw keys).
        _set(signup, SignupStatus.WAITING, queue_key="~" + queue_key)
        notify.send(student, "volunteer.waiting", link=_link(shift), shift=shift)
    else:
        _set(signup, SignupStatus.APPLIED, queue_key=queue_key)
        notify.send(student, "volunteer.applied", link=_link(shift), shift=shift, position=position)
    audit.record(
        student, "signup.create", signup, after={"status": signup.status}, project_id=position.project_id
    )
    return signup


def _own(student, signup: Signup) -> None:
    if signup.user_id != student.id or not permissions.can(student, "account.write"):
        abort(404)


def cancel(student, signup: Signup) -> None:
    """取消报名, until the cut-off before the shift; a freed seat goes to the waiting list."""
    _own(student, signup)
    shift = signup.shift
    cutoff = cancel_cutoff(shift)
    if signup.status not in ACTIVE:
        raise DomainError(_("这条报名已经不能取消。"))
    if signup.status.holds_seat and clock.now() >= cutoff:
        raise DomainError(
            _("班次开始前 %(h)s 小时内不能取消；如有急事请请假。", h=settings.get("cancel_cutoff_hours"))
        )
    held = signup.status.holds_seat
    _set(signup, SignupStatus.CANCELLED, offer_expires_at=None)
    audit.record(student, "signup.cancel", signup, project_id=shift.position.project_id)
    if held:
        _release_seat(shift)
        _promote(shift)


def confirm_offer(student, signup: Signup) -> None:
    _own(student, signup)
    if signup.status != SignupStatus.OFFERED or clock.now() >= signup.offer_expires_at:
        raise DomainError(_("递补名额已失效。"))
    _set(signup, SignupStatus.ACCEPTED, offer_expires_at=None)
    audit.record(student, "signup.confirm", signup, project_id=signup.shift.position.project_id)


def request_leave(student, signup: Signup, reason: str) -> None:
    """请假 before the shift starts: the seat goes to the waiting list and no no-show is marked."""
    _own(student, signup)
    if not signup.status.holds_seat:
        raise DomainError(_("只有已录用的班次可以请假。"))
    if clock.now() >= signup.shift.starts_at:
        raise DomainError(_("班次已经开始，不能再请假，请联系承办方。"))
    if not (reason or "").strip():
        raise DomainError(_("请填写请假原因。"), field="reason")
    _set(signup, SignupStatus.LEAVE, leave_reason=reason.strip(), offer_expires_at=None)
    audit.record(
        student, "signup.leave", signup, reason=reason.strip(), project_id=signup.shift.position.project_id
    )
    _release_seat(signup.shift)
    _promote(signup.shift)


# -- the host decides (评审制) and draws (中签制) ------------------------------------------------------


def decide(actor, signup: Signup, *, accept: bool) -> None:
    shift = signup.shift
    permissions.require(actor, "project.host", shift.position.project)
    if signup.status != SignupStatus.APPLIED or shift.position.admission != Admission.APPROVAL:
        raise DomainError(_("这条报名不在待审核状态。"))
    if not accept:
        _set(signup, SignupStatus.REJECTED)
        notify.send(signup.user, "volunteer.rejected", link=_link(shift), shift=shift)
    elif _take_seat(shift):
        _set(signup, SignupStatus.ACCEPTED)
        notify.send(signup.user, "volunteer.accepted", link=_link(shift), shift=shift)
    else:
        _set(signup, SignupStatus.WAITING)
        notify.send(signup.user, "volunteer.waiting", link=_link(shift), shift=shift)
    audit.record(
        actor, "signup.decide", signup, after={"status": signup.status}, project_id=shift.position.project_id
    )


def draw_lottery(shift: Shift, actor=None) -> bool:
    """中签: once sign-up has closed, draw among the applicants with the published seed. Runs once:
    a conditional UPDATE fixes the seed, so a second run (or a second worker) draws nothing. The
    periodic task draws with no actor and is told False; the host drawing by hand is told why not."""
    position = shift.position
    if actor is not None:
        permissions.require(actor, "project.host", position.project)
    if position.admission != Admission.LOTTERY or clock.now() < signup_closes_at(shift):
        if actor is not None:
            raise DomainError(_("报名截止后才能抽签。"))
        return False
    applicants = db.session.scalars(
        select(Signup).where(Signup.shift_id == shift.id, Signup.status == SignupStatus.APPLIED)
    ).all()
    seed = draw.seed_for(shift.id, [s.public_id for s in applicants])
    fixed = db.session.execute(
        update(Shift)
        .where(Shift.id == shift.id, Shift.lottery_drawn_at.is_(None))
        .values(lottery_seed=seed, lottery_drawn_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if fixed.rowcount != 1:
        if actor is not None:
            raise DomainError(_("这个班次已经抽过签了。"))
        return False
    db.session.expire(shift, ["lottery_seed", "lottery_drawn_at"])
    by_id = {s.public_id: s for s in applicants}
    for public_id in draw.draw_order(seed, by_id):
        signup = by_id[public_id]
        won = _take_seat(shift)
        _set(
            signup,
            SignupStatus.ACCEPTED if won else SignupStatus.WAITING,
            queue_key=draw.draw_key(seed, public_id),
        )
        notify.send(signup.user, "volunteer.lottery_result", link=_link(shift), shift=shift, won=won)
    audit.record(
        actor,
        "shift.lottery",
        shift,
        after={"seed": seed, "applicants": len(applicants)},
        project_id=position.project_id,
    )
    return True


# -- attendance ---------------------------------------------------------------------------------------

CODE_STEP = 60  # seconds: the check-in code rotates every minute
STALE_CODE_MINUTES = 30  # how far back a refused code is recognised as this shift's, only older
SCAN_KEPT_MINUTES = 10  # a scan made before logging in still counts for this long


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


def check_code(shift: Shift, code: str, at: datetime) -> None:
    """Refuse a code that does not open ``shift`` at ``at``, saying whether it is merely old (a
    screenshot, a page left open) or not this shift's at all (another shift's QR, a typo)."""
    if code_is_current(shift, code, at):
        return
    if _matches(shift, code, at, range(2, STALE_CODE_MINUTES + 1)):
        raise DomainError(_("签到码已过期（每分钟更换一次），请扫描承办方现在展示的二维码。"), field="code")
    raise DomainError(_("签到码不对：请确认扫描的是本班次现场展示的二维码，或重新输入。"), field="code")


def credited_hours(shift: Shift, checked_in_at: datetime, checked_out_at: datetime) -> Decimal:
    """The overlap with the shift, rounded down to half hours, capped at the shift's credit hours."""
    start, end = max(shift.starts_at, checked_in_at), min(shift.ends_at, checked_out_at)
    halves = int(max(0.0, (end - start).total_seconds()) // 1800)
    return min(Decimal(halves) / 2, shift.credit_hours)


def check_in_or_out(student, shift: Shift, code: str, *, scanned_at: datetime | None = None) -> Attendance:
    """签到/签退 with the host's code. ``scanned_at`` is when the code was read (a scan survives a
    login in between, for ``SCAN_KEPT_MINUTES``); the code must be valid at that moment."""
    at = scanned_at or clock.now()
    if clock.now() - at > timedelta(minutes=SCAN_KEPT_MINUTES):
        raise DomainError(
            _("扫码已超过 %(n)s 分钟，请重新扫描现场的二维码。", n=SCAN_KEPT_MINUTES), field="code"
        )
    check_code(shift, code, at)
    signup = db.session.scalar(
        select(Signup).where(Signup.shift_id == shift.id, Signup.user_id == student.id)
    )
    if signup is None or signup.status != SignupStatus.ACCEPTED:
        raise DomainError(_("你没有被录用到这个班次，不能签到。"), field="code")
    early = timedelta(minutes=settings.get("checkin_early_minutes"))
    if not shift.starts_at - early <= at <= shift.ends_at + early:
        raise DomainError(_("不在签到时间内。"), field="code")
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


def mark_attendance(
    actor, signup: Signup, checked_in_at: datetime, checked_out_at: datetime | None, reason: str
) -> Attendance:
    """The host marks or corrects attendance by hand, always with a reason."""
    shift = signup.shift
    permissions.require(actor, "project.host", shift.position.project)
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
        _set(signup, SignupStatus.ACCEPTED)  # the host corrects a wrongly marked no-show
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


def roster(shift: Shift) -> list[Signup]:
    """Everyone signed up for the shift with their user and attendance (three queries whatever the size)."""
    return db.session.scalars(
        select(Signup)
        .where(Signup.shift_id == shift.id)
        .options(selectinload(Signup.user), selectinload(Signup.attendance))
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


# -- no-shows and appeals -----------------------------------------------------------------------------


def mark_no_shows(now: datetime | None = None) -> int:
    """After a shift: accepted volunteers who neither checked in nor took leave are marked absent;
    unconfirmed offers lapse without penalty. Each shift is processed once (conditional UPDATE)."""
    now = now or clock.now()
    due = db.session.scalars(
        select(Shift.id).where(Shift.ends_at <= now, Shift.no_shows_marked_at.is_(None))
    ).all()
    marked = 0
    for shift_id in due:
        if not claim_once(Shift, shift_id, "no_shows_marked_at", now):
            continue
        shift = db.session.get(Shift, shift_id)
        for signup in roster(shift):
            if signup.status == SignupStatus.OFFERED:
                _set(signup, SignupStatus.CANCELLED, offer_expires_at=None)
            elif signup.status == SignupStatus.ACCEPTED and signup.attendance is None:
                _set(signup, SignupStatus.NO_SHOW)
                audit.record(None, "signup.no_show", signup, project_id=shift.position.project_id)
                notify.send(signup.user, "volunteer.no_show", link="/volunteer/mine", shift=shift)
                marked += 1
        db.session.commit()
    return marked


def expire_offers(now: datetime | None = None) -> int:
    """A promotion offer not confirmed in time lapses (no penalty) and the seat moves on."""
    now = now or clock.now()
    lapsed = db.session.scalars(
        select(Signup).where(Signup.status == SignupStatus.OFFERED, Signup.offer_expires_at <= now)
    ).all()
    for signup in lapsed:
        _set(signup, SignupStatus.CANCELLED, offer_expires_at=None)
        _release_seat(signup.shift)
        _promote(signup.shift)
    return len(lapsed)


def appeal_no_show(student, signup: Signup, reason: str) -> NoShowAppeal:
    _own(student, signup)
    if signup.status != SignupStatus.NO_SHOW:
        raise DomainError(_("只有缺勤记录可以申诉。"))
    if not (reason or "").strip():
        raise DomainError(_("请写明申诉理由。"), field="reason")
    appeal = NoShowAppeal(signup_id=signup.id, reason=reason.strip(), created_at=clock.now())
    try:
        with db.session.begin_nested():
            db.session.add(appeal)
            db.session.flush()
    except IntegrityError:
        raise DomainError(_("这条缺勤记录已经申诉过了。")) from None
    audit.record(student, "no_show.appeal", appeal, project_id=signup.shift.position.project_id)
    return appeal


def rule_appeal(actor, appeal: NoShowAppeal, *, uphold: bool, ruling: str) -> None:
    """The host (or the union's staff) answers; an upheld appeal clears the no-show."""
    project = appeal.signup.shift.position.project
    if not (
        permissions.can(actor, "project.host", project) or permissions.can(actor, "project.edit", project)
    ):
        abort(403)
    if appeal.status != AppealStatus.PENDING:
        raise DomainError(_("这条申诉已经处理过了。"))
    if not (ruling or "").strip():
        raise DomainError(_("请填写处理意见。"), field="ruling")
    appeal.status = AppealStatus.UPHELD if uphold else AppealStatus.DISMISSED
    appeal.ruling, appeal.ruled_by_id, appeal.ruled_at = ruling.strip(), actor.id, clock.now()
    if uphold:
        _set(appeal.signup, SignupStatus.EXCUSED)
    audit.record(
        actor,
        "no_show.rule",
        appeal,
        after={"status": appeal.status},
        reason=ruling.strip(),
        project_id=project.id,
    )
    notify.send(appeal.signup.user, "volunteer.appeal_answered", link="/volunteer/mine", appeal=appeal)


RECORDED = (SignupStatus.NO_SHOW, SignupStatus.EXCUSED, SignupStatus.LEAVE)


def reliability_counts(user_ids) -> dict[int, dict[str, int]]:
    """诚信记录 of many students in one query: {user id: {"no_show", "excused", "leave": count}}."""
    user_ids = list(user_ids)
    counts = {user_id: {status.value: 0 for status in RECORDED} for user_id in user_ids}
    rows = db.session.execute(
        select(Signup.user_id, Signup.status, func.count())
        .where(Signup.user_id.in_(user_ids), Signup.status.in_(RECORDED))
        .group_by(Signup.user_id, Signup.status)
    )
    for user_id, status, n in rows:
        counts[user_id][status.value] = n
    return counts


def reliability(user) -> dict:
    """诚信记录 shown to the student: counts of no-show, excused and leave, and any sign-up block."""
    return {**reliability_counts([user.id])[user.id], "blocked_until": blocked_until(user)}


# -- the private calendar feed -----------------------------------------------------------------------


def reset_calendar_token(user) -> str:
    """A new secret for the student's calendar feed (日历订阅); the old link stops working."""
    permissions.require(user, "account.write")
    user.ical_token = secrets.token_urlsafe(32)
    audit.record(user, "account.calendar_token", user)
    return user.ical_token


# -- the periodic step ----------------------------------------------------------------------------------


def send_shift_reminders(now: datetime | None = None) -> int:
    """The day before: remind every accepted volunteer (once per shift)."""
    now = now or clock.now()
    due = db.session.scalars(
        select(Shift.id).where(
            Shift.reminder_sent_at.is_(None),
            Shift.starts_at > now,
            Shift.starts_at <= now + timedelta(hours=24),
        )
    ).all()
    sent = 0
    for shift_id in due:
        if not claim_once(Shift, shift_id, "reminder_sent_at", now):
            continue
        shift = db.session.get(Shift, shift_id)
        for signup in roster(shift):
            if signup.status == SignupStatus.ACCEPTED:
                notify.send(signup.user, "volunteer.shift_tomorrow", link=_link(shift), shift=shift)
                sent += 1
        db.session.commit()
    return sent


def draw_due_lotteries(now: datetime | None = None) -> int:
    now = now or clock.now()
    due = db.session.scalars(
        select(Shift)
        .join(Position, Position.id == Shift.position_id)
        .where(
            Position.admission == Admission.LOTTERY,
            Shift.lottery_drawn_at.is_(None),
            and_(Position.signup_closes_at.is_not(None), Position.signup_closes_at <= now),
        )
    ).all()
    drawn = 0
    for shift in due:
        drawn += draw_lottery(shift)
        db.session.commit()
    return drawn


def tick(now: datetime | None = None) -> dict:
    """Everything the clock makes due for volunteers; safe to run concurrently."""
    result = {
        "lotteries": draw_due_lotteries(now),
        "offers_lapsed": expire_offers(now),
        "reminders": send_shift_reminders(now),
        "no_shows": mark_no_shows(now),
    }
    db.session.commit()
    return result
