"""Who may rate a staff member's term — a rule asked when the rating is given, never a list of
invitations: the students the union serves and the union's other staff under review, with an active
account, and never the person themselves.

Whom a union serves is ``orgs.queries.served`` (the yearly survey's audience too); ``served`` here keeps
those of them with an active account. One SQL condition says it, so the count at opening and the check
at answer time cannot disagree.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import and_, exists, func, select, union

from ..accounts.models import AccountStatus, User
from ..extensions import db
from ..orgs import queries as orgs
from ..orgs.models import Organization
from ..surveys.models import RaterGroup
from .models import StaffReview, StaffReviewee


def served(union_org: Organization):
    """SQL condition on ``User``: an active student the union serves."""
    return and_(orgs.served(union_org), User.status == AccountStatus.ACTIVE)


def staff_ids(review: StaffReview):
    """The user ids of the review's staff whose accounts are active."""
    return (
        select(StaffReviewee.user_id)
        .join(User, User.id == StaffReviewee.user_id)
        .where(StaffReviewee.review_id == review.id, User.status == AccountStatus.ACTIVE)
    )


def audience_size(review: StaffReview) -> int:
    """How many may rate (those served and the staff, each once), counted when the review opens."""
    everyone = union(select(User.id).where(served(review.union)), staff_ids(review)).subquery()
    return db.session.scalar(select(func.count()).select_from(everyone))


def rater_group(user, review: StaffReview) -> RaterGroup | None:
    """How ``user`` rates the review's staff — as one of them, or as a student served — or None if
    they may not (a member of staff rates as staff even when also served). Asked once per request:
    the rater's page asks it of every report it shows (``staff_review.read_report``)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not has_request_context():
        return _rater_group(user, review)
    known = g.setdefault("staff_rater_groups", {})
    if (user.id, review.id) not in known:
        known[user.id, review.id] = _rater_group(user, review)
    return known[user.id, review.id]


def _rater_group(user, review: StaffReview) -> RaterGroup | None:
    is_staff = staff_ids(review).where(StaffReviewee.user_id == user.id).exists()
    is_served = exists().where(User.id == user.id, served(review.union))
    staff, student = db.session.execute(select(is_staff, is_served)).one()
    if staff:
        return RaterGroup.STAFF
    return RaterGroup.STUDENT if student else None
