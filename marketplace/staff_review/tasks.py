"""The 述职评议's background work. Telling everyone who may rate a review's staff, and reminding those
still to rate someone three days before the window closes: a school union serves tens of thousands of
students, so they are told in the notification centre only, rendered once per language
(``notify.send_in_app``), never mailed one by one. And writing the league's results workbook
(``exports.run``), as every export is written.

``send_reminders`` is a periodic step (run by ``projects.tasks.tick``, as the surveys' reminder is):
each review is claimed once (``models_base.claim_due``), so concurrent runs remind once; it commits as
it goes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from .. import clock, exports
from ..accounts.models import User
from ..extensions import db
from ..models_base import claim_due
from ..notify import operations as notify
from ..queue import task
from ..surveys.tasks import REMIND_BEFORE
from .export import write_results
from .models import ResultsExport, ReviewStatus, StaffReview
from .operations import rate_url, raters, raters_still_to_rate, title


def _count(recipients) -> int:
    return db.session.scalar(select(func.count()).select_from(recipients.subquery()))


@task()
def tell_raters(review_id: int) -> int:
    review = db.session.get(StaffReview, review_id)
    everyone = select(User.id, User.locale).where(User.id.in_(raters(review)))
    notify.send_in_app(
        everyone, "staff_review.invited", link=rate_url(review), review=review, title=title(review)
    )
    db.session.commit()
    return _count(everyone)


def send_reminders(now: datetime | None = None) -> int:
    """Remind, once per review, everyone who may rate and has not rated every staff member (but
    themselves) yet. A review open for less than ``REMIND_BEFORE`` gets none: its invitation went out
    only just now. Returns how many were told."""
    now = now or clock.now()
    told = 0
    running = StaffReview.status == ReviewStatus.OPEN
    for review in claim_due(StaffReview, "reminded_at", StaffReview.closes_at, REMIND_BEFORE, now, running):
        if review.closes_at - REMIND_BEFORE >= review.opens_at:
            waiting = select(User.id, User.locale).where(User.id.in_(raters_still_to_rate(review)))
            notify.send_in_app(
                waiting, "staff_review.reminder", link=rate_url(review), review=review, title=title(review)
            )
            told += _count(waiting)
        db.session.commit()
    return told


@task()
def run_export(job_id: int) -> None:
    """Write the results workbook and tell the reviewer who asked for it."""

    def write(job, out, progress) -> int:
        return write_results(job.review_id, out, progress)

    job = exports.run(ResultsExport, job_id, write)
    if job.requested_by is not None:
        notify.send(job.requested_by, "staff_review.export_ready", link=job.url, title=title(job.review))
    db.session.commit()
