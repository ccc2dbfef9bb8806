"""The seeding steps, in order. Each is a function of the run's :class:`~.context.Demo`."""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.security import generate_password_hash

from .. import audit
from . import people, school
from .context import PASSWORD, Demo

Step = Callable[[Demo], None]

STEPS: list[Step] = [
    people.administrator,  # first: the actor of everything after it
    school.calendar,
    school.credit_categories,
    school.colleges,
    school.organizations,
    people.demo_accounts,
    people.roster,
    people.appointments,
    people.extra_students,
]


def seed(demo: Demo) -> Demo:
    """Run every step; afterwards ``demo.created`` holds what this run added (empty: nothing)."""
    demo.password_hash = generate_password_hash(PASSWORD)
    for step in STEPS:
        step(demo)
    demo.created = +demo.created  # drop the zero counts
    if demo.created:
        audit.record(demo.admin, "demo.seed", ("demo", demo.school_name), after=dict(demo.created))
    return demo
