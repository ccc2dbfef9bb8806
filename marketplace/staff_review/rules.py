"""Who may do what in a 述职评议: the ``staff_review.*`` actions of the policy (see ``permissions``).

Who may rate is not a rule here but ``eligibility`` (the students the union serves and its other
staff, asked when the rating is given); reading the reports follows it while the window is open. What a
staff member sees of their own ratings and result waits for the clock and the publication, which the
queries decide (``queries.may_see_own``).
"""

from __future__ import annotations

from .. import clock
from ..permissions import Role, has_role, may_write, rule
from . import eligibility
from .models import ReviewStatus


def _league(user) -> bool:
    return may_write(user) and has_role(user, Role.LEAGUE_REVIEWER)


@rule("staff_review.open")
def _opens(user, obj=None) -> bool:
    """发起 a term's review of a union: the league reviewers."""
    return _league(user)


@rule("staff_review.manage")
def _manages(user, review=None) -> bool:
    """Every staff member's ratings, notes and result; grading, publishing, the export: the league."""
    return _league(user)


@rule("staff_review.write_report")
def _writes_report(user, reviewee=None) -> bool:
    """The 述职报告: its author."""
    return reviewee is not None and may_write(user) and reviewee.user_id == user.id


@rule("staff_review.read_report")
def _reads_report(user, reviewee=None) -> bool:
    """The 述职报告 and its attachments: the author and the league always; those who may rate the
    review's staff only while the window is open — they read it to rate, and the report is not theirs
    to keep reading once the rating is over."""
    if reviewee is None or not getattr(user, "is_authenticated", False):
        return False
    if reviewee.user_id == user.id or _league(user):
        return True
    review = reviewee.review
    return (
        review.status_at(clock.now()) == ReviewStatus.OPEN
        and eligibility.rater_group(user, review) is not None
    )
