"""诚信记录: no-show appeals with their status table, and the counts of no-shows, excused no-shows and
leave that students and hosts see. A block on new sign-ups after repeated no-shows is a sign-up rule
(``signups.blocked_until``); marking no-shows after a shift is the clock's (``tasks.py``). Nothing here
commits.
"""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import audit, clock, permissions
from ..errors import DomainError
from ..extensions import db
from ..notify import operations as notify
from ..statuses import StatusTable, ruled
from ..urls import path_for
from .models import AppealStatus, NoShowAppeal, Signup, SignupStatus
from .signups import blocked_until, move_signup, own

# action -> (statuses it may start from, status it leads to)
NO_SHOW_APPEAL_TRANSITIONS = {
    "uphold": (frozenset({AppealStatus.PENDING}), AppealStatus.UPHELD),  # the no-show is excused
    "dismiss": (frozenset({AppealStatus.PENDING}), AppealStatus.DISMISSED),
}
NO_SHOW_APPEALS = StatusTable("no_show_appeal", _l("这条缺勤申诉"), NO_SHOW_APPEAL_TRANSITIONS, facts=ruled)


def move_no_show_appeal(appeal: NoShowAppeal, action: str, actor, *, reason: str | None = None) -> None:
    """The only way a no-show appeal's status changes; ``reason`` is the ruling."""
    NO_SHOW_APPEALS.move(
        appeal, action, actor, reason=reason, project_id=appeal.signup.shift.position.project_id
    )


def appeal_no_show(student, signup: Signup, data: dict) -> NoShowAppeal:
    reason = data["reason"]
    own(student, signup)
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


def rule_appeal(actor, appeal: NoShowAppeal, data: dict) -> None:
    """The host (or the union's staff) answers (``uphold``, ``ruling``); an upheld appeal clears the
    no-show."""
    uphold, ruling = data["uphold"], data["ruling"]
    project = appeal.signup.shift.position.project
    if not (
        permissions.can(actor, "project.host", project) or permissions.can(actor, "project.edit", project)
    ):
        abort(403)
    if appeal.status != AppealStatus.PENDING:
        raise DomainError(_("这条申诉已经处理过了。"))
    if not (ruling or "").strip():
        raise DomainError(_("请填写处理意见。"), field="ruling")
    move_no_show_appeal(appeal, "uphold" if uphold else "dismiss", actor, reason=ruling.strip())
    if uphold:
        move_signup(appeal.signup, "excuse", actor, reason=ruling.strip())
    notify.send(
        appeal.signup.user, "volunteer.appeal_answered", link=path_for("volunteers.mine"), appeal=appeal
    )


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
