"""The seeding steps, in order. Each is a function of the run's :class:`~.context.Demo`."""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.security import generate_password_hash

from .. import audit
from ..extensions import db
from ..opendata import bulk
from . import (
    disclosure,
    documents,
    evaluation,
    needs,
    people,
    projects,
    school,
    staff_reviews,
    volunteering,
    yearly,
)
from .context import PASSWORD, Demo

Step = Callable[[Demo], None]

# The school's last few weeks, told through the operations (so the audit log and the notifications are
# real): a project in each state of the cycle, volunteers and their credits, evaluations and the
# reputations they make.
HISTORY: list[Step] = [
    evaluation.first_aid_training,
    evaluation.coding_camp,
    evaluation.swap_market,
    projects.draft,
    projects.pending_approval,
    projects.open_for_bids,
    projects.in_review,
    projects.failed,
    projects.cancelled,
    projects.award_notice,
    needs.needs_pool,  # after the projects: one need is accepted with 期末心理减压周
    volunteering.union_training,
    volunteering.community_teaching,
    volunteering.career_fair,
    evaluation.modelling_lectures,
    staff_reviews.last_and_this_term,
    yearly.yearly_surveys,
    disclosure.public_record,
    documents.second_classroom_requirement,  # last: its verdicts read the history's credits
]

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
    people.roster_awaiting_confirmation,
    *HISTORY,
]


def seed(demo: Demo) -> Demo:
    """Run every step; afterwards ``demo.created`` holds what this run added (empty: nothing)."""
    demo.password_hash = generate_password_hash(PASSWORD)
    steps = STEPS if demo.history else [step for step in STEPS if step not in HISTORY]
    try:
        for step in steps:
            step(demo)
            db.session.commit()  # step by step, before the next one moves the clock
    finally:
        demo.return_to_present()
    if demo.history:  # the open-data download is there from the start, not once the worker's tick comes
        bulk.build()
    demo.created = +demo.created  # drop the zero counts
    if demo.created:
        audit.record(demo.admin, "demo.seed", ("demo", demo.school_name), after=dict(demo.created))
    return demo
