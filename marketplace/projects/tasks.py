"""The periodic step: persist due transitions and send the deadline, outcome panel, survey, 述职评议
and improvement plan reminders, and the needs pool's answer-time reminders (every minute).

``flask --app marketplace tick`` runs the same step by hand.
"""

from __future__ import annotations

from huey import crontab

from ..evaluation.operations import send_improvement_reminders
from ..needs.operations import send_answer_reminders as send_need_reminders
from ..queue import periodic_task
from ..review.outcome import send_reminders as send_outcome_reminders
from ..staff_review.tasks import send_reminders as send_staff_review_reminders
from ..surveys.tasks import send_reminders as send_survey_reminders
from ..volunteers.tasks import tick as volunteers_tick
from .lifecycle import run_due_transitions
from .operations import send_deadline_reminders


def tick() -> dict:
    return {
        "transitions": run_due_transitions(),
        "deadline_reminders": send_deadline_reminders(),
        "outcome_reminders": send_outcome_reminders(),
        "improvement_reminders": send_improvement_reminders(),
        **volunteers_tick(),
        "survey_reminders": send_survey_reminders(),
        "staff_review_reminders": send_staff_review_reminders(),
        "need_reminders": send_need_reminders(),
    }


@periodic_task(crontab(minute="*"))
def tick_periodically() -> None:
    tick()
