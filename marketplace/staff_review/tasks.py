"""Telling everyone who may rate a review's staff, in the background: a school union serves tens of
thousands of students, so they are told in the notification centre only, rendered once per language
(``notify.send_in_app``), never mailed one by one."""

from __future__ import annotations

from sqlalchemy import func, select

from ..accounts.models import User
from ..extensions import db
from ..notify import operations as notify
from ..queue import task
from .models import StaffReview
from .operations import rate_url, raters, title


@task()
def tell_raters(review_id: int) -> int:
    review = db.session.get(StaffReview, review_id)
    everyone = select(User.id, User.locale).where(User.id.in_(raters(review)))
    notify.send_in_app(
        everyone, "staff_review.invited", link=rate_url(review), review=review, title=title(review)
    )
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(everyone.subquery()))
