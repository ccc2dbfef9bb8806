"""Admission beyond first come (录用): the host's decision (评审制), the recorded draw (中签制), and the
student confirming a seat offered from the waiting list.

First come admits at sign-up and a freed seat goes to the waiting list (both in ``signups.py``); the
draw that falls due and lapsing offers are the clock's (``tasks.py``). Nothing here commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from .. import audit, clock, draw, permissions
from ..errors import DomainError
from ..extensions import db
from ..notify import operations as notify
from .models import Admission, Shift, Signup, SignupStatus
from .seats import take_seat
from .signups import move_signup, own, signup_closes_at


def decide(actor, signup: Signup, data: dict) -> None:
    """评审制: accept (``data["accept"]``) or reject an application."""
    accept, shift = data["accept"], signup.shift
    permissions.require(actor, "project.host", shift.position.project)
    if signup.status != SignupStatus.APPLIED or shift.position.admission != Admission.APPROVAL:
        raise DomainError(_("这条报名不在待审核状态。"))
    if not accept:
        move_signup(signup, "reject", actor)
        notify.send(signup.user, "volunteer.rejected", link=shift.url, shift=shift)
    elif take_seat(shift):
        move_signup(signup, "accept", actor)
        notify.send(signup.user, "volunteer.accepted", link=shift.url, shift=shift)
    else:
        move_signup(signup, "wait", actor)
        notify.send(signup.user, "volunteer.waiting", link=shift.url, shift=shift)


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
        select(Signup)
        .where(Signup.shift_id == shift.id, Signup.status == SignupStatus.APPLIED)
        .options(selectinload(Signup.user))  # each is told the result
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
        won = take_seat(shift)
        move_signup(signup, "accept" if won else "wait", actor, queue_key=draw.draw_key(seed, public_id))
        notify.send(signup.user, "volunteer.lottery_result", link=shift.url, shift=shift, won=won)
    audit.record(
        actor,
        "shift.lottery",
        shift,
        after={"seed": seed, "applicants": len(applicants)},
        project_id=position.project_id,
    )
    return True


def confirm_offer(student, signup: Signup) -> None:
    """The student takes the seat offered from the waiting list, before the offer lapses."""
    own(student, signup)
    if signup.status != SignupStatus.OFFERED or clock.now() >= signup.offer_expires_at:
        raise DomainError(_("递补名额已失效。"))
    move_signup(signup, "confirm", student)
