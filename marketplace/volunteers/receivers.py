"""What a project's step does to its volunteers (receivers of ``lifecycle.project_moved``; the app
factory connects them)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from .. import clock
from ..extensions import db
from ..notify import operations as notify
from .models import Position, Shift, Signup
from .seats import release_seat
from .signups import ACTIVE, move_signup

CANCELLING = frozenset({"cancel", "approve_cancel"})


def end_signups_with_project(project, *, action, actor, **_) -> None:
    """A cancelled project holds none of its shifts still to come: each live sign-up of such a shift
    ends with the project (its own status: not the volunteer's cancellation, never a no-show), its
    seat is released, and every volunteer hears once, with the shifts they lose. Shifts already begun
    or over, their attendance and credits stay as they are."""
    if action not in CANCELLING:
        return
    ended = (
        db.session.scalars(
            select(Signup)
            .join(Signup.shift)
            .join(Shift.position)
            .where(
                Position.project_id == project.id,
                Shift.starts_at > clock.now(),
                Signup.status.in_(ACTIVE),
            )
            .options(contains_eager(Signup.shift).contains_eager(Shift.position), joinedload(Signup.user))
            .order_by(Signup.user_id, Shift.starts_at, Shift.id)
            .with_for_update(of=Signup)
        )
        .unique()
        .all()
    )
    lost: dict = {}
    for signup in ended:
        held = signup.status.holds_seat
        move_signup(signup, "end_with_project", actor)
        if held:
            release_seat(signup.shift)
        lost.setdefault(signup.user, []).append(signup.shift)
    for volunteer, shifts in lost.items():
        notify.send(
            volunteer,
            "volunteer.project_cancelled",
            link=project.url,
            project=project,
            shifts=shifts,
            reason=project.cancel_reason,
        )
