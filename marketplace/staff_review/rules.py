"""Who may do what in a 述职评议: the ``staff_review.*`` actions of the policy (see ``permissions``).

Who may rate is not a rule here but ``eligibility`` (the students the union serves and its other
staff, asked when the rating is given). What a staff member sees of their own ratings and result also
waits for the clock and the publication, which the queries decide (``queries.own_view``).
"""

from __future__ import annotations

from ..permissions import Role, has_role, may_write, rule


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


@rule("staff_review.view_own")
def _views_own(user, reviewee=None) -> bool:
    """A staff member's ratings, result and notes: the person (once published) and the league."""
    return reviewee is not None and (reviewee.user_id == user.id or has_role(user, Role.LEAGUE_REVIEWER))
