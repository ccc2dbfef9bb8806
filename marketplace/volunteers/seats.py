"""Seats (名额): a shift's ``taken`` counter, safe under any number of concurrent sign-ups.

``Shift.taken`` moves only through ``take_seat``/``release_seat``, conditional UPDATEs that the
database serialises per shift row, and a CHECK keeps ``taken <= capacity`` — so capacity holds however
many students sign up at once. A sign-up's status says whether it holds a seat
(``SignupStatus.holds_seat``); whoever moves a sign-up into or out of such a status takes or releases
the seat alongside (``signups.py``, ``admission.py``, ``tasks.py``). Nothing here commits.
"""

from __future__ import annotations

from sqlalchemy import update

from ..extensions import db
from .models import Shift


def take_seat(shift: Shift) -> bool:
    """One seat of ``shift``, if one is free (False when the shift is full)."""
    taken = db.session.execute(
        update(Shift)
        .where(Shift.id == shift.id, Shift.taken < Shift.capacity)
        .values(taken=Shift.taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(shift, ["taken"])
    return taken.rowcount == 1


def release_seat(shift: Shift) -> None:
    db.session.execute(
        update(Shift)
        .where(Shift.id == shift.id, Shift.taken > 0)
        .values(taken=Shift.taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(shift, ["taken"])
