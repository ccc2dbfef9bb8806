"""Telling everyone who may rate a review's staff, in the background: a school union serves tens of
thousands of students. Commits a batch at a time, so a failure part-way leaves those told told."""

from __future__ import annotations

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..queue import task
from .models import StaffReview
from .operations import raters, tell_rater

BATCH = 500


@task()
def tell_raters(review_id: int) -> int:
    review = db.session.get(StaffReview, review_id)
    ids = db.session.scalars(raters(review).order_by(User.id)).all()
    for start in range(0, len(ids), BATCH):
        for user in db.session.scalars(select(User).where(User.id.in_(ids[start : start + BATCH]))):
            tell_rater(user, review)
        db.session.commit()
    return len(ids)
