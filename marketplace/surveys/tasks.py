"""What the clock makes due for surveys (the periodic step, run by ``projects.tasks.tick``): the
reminder, three days before a survey closes, to the invited who have not answered. Each survey is
claimed once (a conditional UPDATE), so concurrent runs send it once; like the other periodic steps,
this commits as it goes."""

from __future__ import annotations

from datetime import datetime, timedelta

from .. import clock
from ..extensions import db
from ..models_base import claim_due
from .models import SubjectKind, Survey, SurveyStatus
from .operations import remind

REMIND_BEFORE = timedelta(days=3)


def send_reminders(now: datetime | None = None) -> int:
    """Remind those who have not answered, once per survey. A survey open for less than
    ``REMIND_BEFORE`` gets none: its invitation went out only just now. Returns how many were told."""
    now = now or clock.now()
    told = 0
    running = Survey.status == SurveyStatus.OPEN
    # A staff member's term invites nobody: its review reminds its raters once for all its staff.
    invites = Survey.kind != SubjectKind.STAFF_TERM
    for survey in claim_due(Survey, "reminded_at", Survey.closes_at, REMIND_BEFORE, now, running, invites):
        if survey.closes_at - REMIND_BEFORE >= survey.opens_at:
            told += remind(survey)
        db.session.commit()
    return told
