"""What the clock makes due for surveys (the periodic step, run by ``projects.tasks.tick``): the
reminder, three days before a survey closes, to the invited who have not answered. Each survey is
claimed once (a conditional UPDATE), so concurrent runs send it once; like the other periodic steps,
this commits as it goes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models_base import claim_once
from .models import Survey, SurveyStatus
from .operations import remind

REMIND_BEFORE = timedelta(days=3)


def send_reminders(now: datetime | None = None) -> int:
    """Remind those who have not answered, once per survey. A survey open for less than
    ``REMIND_BEFORE`` gets none: its invitation went out only just now. Returns how many were told."""
    now = now or clock.now()
    due = db.session.scalars(
        select(Survey.id).where(
            Survey.status == SurveyStatus.OPEN,
            Survey.reminded_at.is_(None),
            Survey.closes_at > now,
            Survey.closes_at <= now + REMIND_BEFORE,
        )
    ).all()
    told = 0
    for survey_id in due:
        if not claim_once(Survey, survey_id, "reminded_at", now):
            continue
        survey = db.session.get(Survey, survey_id)
        if survey.closes_at - REMIND_BEFORE >= survey.opens_at:
            told += remind(survey)
        db.session.commit()
    return told
