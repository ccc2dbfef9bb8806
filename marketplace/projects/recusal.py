"""Recusal (回避): who is kept out of a project.

Anyone whose membership of a bidding organization is active on the deadline's date is recused: they
neither see the project's bids nor sit on its panel, approve it or rule on it. The outcome panel
(成效评估) keeps out, besides, whoever joined the host organization after that date: they were not
bound by the first rule, yet judge their own organization's work. Only models are read here, so the
policy (``projects.rules``, ``review.rules``), bid sealing and the review can all ask.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CompoundSelect, Select, and_, exists, or_, select, union

from ..bids.models import Bid, BidStatus
from ..extensions import db
from ..orgs.models import Membership
from ..timeutil import SCHOOL_TZ
from .models import Project


def deadline_day(project: Project) -> date:
    return project.bid_deadline.astimezone(SCHOOL_TZ).date()


def _bidding_orgs(project: Project) -> Select:
    """Organizations with a submitted bid: their members are recused from the project."""
    return select(Bid.org_id).where(Bid.project_id == project.id, Bid.status == BidStatus.SUBMITTED)


def _member_of_a_bidder(project: Project):
    """SQL condition on Membership: of a bidding organization, active on the deadline's date."""
    return and_(Membership.org_id.in_(_bidding_orgs(project)), Membership.active_on(deadline_day(project)))


def _recused(project: Project, *columns) -> Select:
    return select(*columns).where(_member_of_a_bidder(project))


def recused_pairs(project: Project) -> list[tuple[int, int]]:
    """(user id, organization id) of each membership, active on the deadline's date, in an
    organization bidding on ``project``: ids only, as many as there are members."""
    rows = db.session.execute(_recused(project, Membership.user_id, Membership.org_id))
    return [(user_id, org_id) for user_id, org_id in rows]


def recused_user_ids(project: Project) -> Select:
    """The recused users' ids, as a subquery to filter by."""
    return _recused(project, Membership.user_id)


def is_recused(user, project: Project) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    # Asked by several permission checks on a page: one statement each.
    return db.session.scalar(
        select(exists().where(Membership.user_id == user.id, _member_of_a_bidder(project)))
    )


def _joined_host_late(project: Project):
    """SQL condition on Membership: of the project's host, begun after the deadline's date."""
    return and_(Membership.org_id == project.host_org_id, Membership.starts_on > deadline_day(project))


def _recused_from_outcome(project: Project):
    """SQL condition on Membership: recused from the project, or a membership of its host that began
    after the deadline's date."""
    return or_(_member_of_a_bidder(project), _joined_host_late(project))


def outcome_recused_user_ids(project: Project) -> CompoundSelect:
    """The ids of those kept off the project's outcome panel (成效评估回避), as a subquery to filter by."""
    # Two lookups by organization, united: one query with an OR between them reads every membership.
    return union(recused_user_ids(project), select(Membership.user_id).where(_joined_host_late(project)))


def is_recused_from_outcome(user, project: Project) -> bool:
    """Recused from the project, or a member of its host who joined after the bidding deadline's date."""
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(exists().where(Membership.user_id == user.id, _recused_from_outcome(project)))
    )
