"""What the clock makes due for volunteers (the periodic step, run by ``projects.tasks.tick``): draws
whose sign-up has closed, offers not confirmed in time (the student is told), the day-before
reminders, and no-shows after a shift (none for a cancelled project's shift). Each shift is processed
once (a conditional UPDATE claims it), so concurrent runs are safe; unlike the operations, these
commit as they go.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, select

from .. import clock
from ..extensions import db
from ..models_base import claim_due, claim_once
from ..notify import operations as notify
from ..projects.models import ProjectState
from ..urls import path_for
from .admission import draw_lottery
from .models import Admission, Position, Shift, Signup, SignupStatus
from .queries import roster
from .seats import release_seat
from .signups import move_signup, promote


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


def expire_offers(now: datetime | None = None) -> int:
    """A promotion offer not confirmed in time lapses (no penalty) and the seat moves on."""
    now = now or clock.now()
    lapsed = db.session.scalars(
        select(Signup)
        .where(Signup.status == SignupStatus.OFFERED, Signup.offer_expires_at <= now)
        .with_for_update(skip_locked=True)
    ).all()
    for signup in lapsed:
        move_signup(signup, "expire", None)
        _tell_offer_lapsed(signup)
        release_seat(signup.shift)
        promote(signup.shift)
    return len(lapsed)


def _tell_offer_lapsed(signup: Signup) -> None:
    notify.send(signup.user, "volunteer.offer_lapsed", link=signup.shift.url, shift=signup.shift)


def send_shift_reminders(now: datetime | None = None) -> int:
    """The day before: remind every accepted volunteer (once per shift)."""
    now = now or clock.now()
    sent = 0
    for shift in claim_due(Shift, "reminder_sent_at", Shift.starts_at, timedelta(hours=24), now):
        for signup in roster(shift):
            if signup.status == SignupStatus.ACCEPTED:
                notify.send(signup.user, "volunteer.shift_tomorrow", link=shift.url, shift=shift)
                sent += 1
        db.session.commit()
    return sent


def mark_no_shows(now: datetime | None = None) -> int:
    """After a shift: accepted volunteers who neither checked in nor took leave are marked absent;
    unconfirmed offers lapse without penalty. A cancelled project's shift was not held as planned:
    nobody is absent from it. Each shift is processed once (conditional UPDATE)."""
    now = now or clock.now()
    due = db.session.scalars(
        select(Shift.id).where(Shift.ends_at <= now, Shift.no_shows_marked_at.is_(None))
    ).all()
    marked = 0
    for shift_id in due:
        if not claim_once(Shift, shift_id, "no_shows_marked_at", now):
            continue
        shift = db.session.get(Shift, shift_id)
        held = shift.position.project.state != ProjectState.CANCELLED
        for signup in roster(shift):
            if signup.status == SignupStatus.OFFERED:
                move_signup(signup, "lapse", None)
                _tell_offer_lapsed(signup)
            elif held and signup.status == SignupStatus.ACCEPTED and signup.attendance is None:
                move_signup(signup, "no_show", None)
                notify.send(signup.user, "volunteer.no_show", link=path_for("volunteers.mine"), shift=shift)
                marked += 1
        db.session.commit()
    return marked


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
