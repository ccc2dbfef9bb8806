"""Recusal (回避): who is kept out of a project.

Anyone whose membership of a bidding organization is active on the deadline's date is recused: they
neither see the project's bids nor sit on its panel, approve it or rule on it. Only models are read
here, so the policy (``projects.rules``), bid sealing and the review can all ask.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, exists, select

from ..bids.models import Bid, BidStatus
from ..extensions import db
from ..orgs.models import Membership
from ..timeutil import SCHOOL_TZ
from .models import Project


def deadline_day(project: Project) -> date:
    return project.bid_deadline.astimezone(SCHOOL_TZ).date()


def _bidding_orgs(project: Project) -> Select:
    return select(Bid.org_id).where(Bid.project_id == project.id, Bid.status == BidStatus.SUBMITTED)


def bidding_org_ids(project: Project) -> set[int]:
    """Organizations with a submitted bid: their members are recused from the project."""
    return set(db.session.scalars(_bidding_orgs(project)))


def recused_memberships(project: Project) -> list[Membership]:
    """Memberships, active on the deadline's date, in organizations bidding on ``project``."""
    orgs = bidding_org_ids(project)
    if not orgs:
        return []
    return db.session.scalars(
        select(Membership).where(Membership.org_id.in_(orgs), Membership.active_on(deadline_day(project)))
    ).all()


def is_recused(user, project: Project) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    # Asked by several permission checks on a page: one statement each.
    return db.session.scalar(
        select(
            exists().where(
                Membership.user_id == user.id,
                Membership.org_id.in_(_bidding_orgs(project)),
                Membership.active_on(deadline_day(project)),
            )
        )
    )
