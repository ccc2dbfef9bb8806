"""Which bids count at the deadline (有效标书), in SQL and for one project.

Only models are imported here: the lifecycle's due rules ask whether a project has a valid bid, so
this sits below ``projects.lifecycle``. Why one loaded bid does not count is ``bids.queries.validity``.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..orgs.models import Organization, OrgKind
from ..projects.models import Project
from .models import Bid, BidStatus


def valid_bid_clause():
    """A bid is valid when submitted, confirmed, within the cap and from an eligible, active
    organization. Used with Bid, Organization and Project in the query."""
    return and_(
        Bid.status == BidStatus.SUBMITTED,
        Bid.confirmed.is_(True),
        Bid.requested_budget <= Project.budget_cap,
        Organization.is_active.is_(True),
        or_(
            and_(Organization.kind == OrgKind.COLLEGE_UNION, Project.allow_college_union.is_(True)),
            and_(Organization.kind == OrgKind.CLUB, Project.allow_club.is_(True)),
            and_(Organization.kind == OrgKind.CLASS, Project.allow_class.is_(True)),
        ),
    )


def has_valid_bid():
    """SQL condition on Project: at least one valid bid (correlated to the outer Project)."""
    return exists(
        select(Bid.id)
        .join(Organization, Organization.id == Bid.org_id)
        .where(Bid.project_id == Project.id, valid_bid_clause())
    )


def valid_bids(project: Project) -> list[Bid]:
    return db.session.scalars(
        select(Bid)
        .join(Organization, Organization.id == Bid.org_id)
        .join(Project, Project.id == Bid.project_id)
        .where(Bid.project_id == project.id, valid_bid_clause())
        .options(contains_eager(Bid.org), contains_eager(Bid.project))
        .order_by(Bid.public_id)
    ).all()


def project_has_valid_bid(project: Project) -> bool:
    return bool(db.session.scalar(select(has_valid_bid()).where(Project.id == project.id)))
