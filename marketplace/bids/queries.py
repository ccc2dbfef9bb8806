"""What the bid pages list, and why one bid does not count (the rule itself, in SQL, is
``bids.validity``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..enums import LabelledEnum
from ..extensions import db
from ..projects.lifecycle import effective_state_column
from ..projects.models import Project
from .models import Bid, BidRevision, BidStatus


class Validity(LabelledEnum):
    """Whether a bid counts at the deadline, and if not, why."""

    __labels__ = {
        "valid": _l("有效"),
        "withdrawn": _l("已撤回"),
        "ineligible": _l("组织不符合竞标条件"),
        "over_cap": _l("超出预算上限"),
        "unconfirmed": _l("未重新确认"),
    }
    __badges__ = {
        "valid": "text-bg-success",
        "withdrawn": "text-bg-warning",
        "ineligible": "text-bg-warning",
        "over_cap": "text-bg-warning",
        "unconfirmed": "text-bg-warning",
    }

    VALID = "valid"
    WITHDRAWN = "withdrawn"
    INELIGIBLE = "ineligible"
    OVER_CAP = "over_cap"
    UNCONFIRMED = "unconfirmed"


def validity(bid: Bid) -> Validity:
    """``validity.valid_bid_clause`` for one loaded bid, naming the first reason it does not count."""
    if bid.status != BidStatus.SUBMITTED:
        return Validity.WITHDRAWN
    if not bid.org.is_active or not bid.project.admits(bid.org.kind):
        return Validity.INELIGIBLE
    if bid.requested_budget > bid.project.budget_cap:
        return Validity.OVER_CAP
    if not bid.confirmed:
        return Validity.UNCONFIRMED
    return Validity.VALID


def bid_of(project: Project, org_id: int) -> Bid | None:
    """The organization's bid on the project, submitted or withdrawn (there is at most one)."""
    return db.session.scalar(select(Bid).where(Bid.project_id == project.id, Bid.org_id == org_id))


def submitted_bids(project: Project) -> Select:
    """The project's bids that stand, with their attachments, in the order of their random public ids
    (never the order they came in)."""
    return (
        select(Bid)
        .where(Bid.project_id == project.id, Bid.status == BidStatus.SUBMITTED)
        .options(selectinload(Bid.attachments), joinedload(Bid.org))
        .order_by(Bid.public_id)
    )


def bids_of_orgs(org_ids) -> Select:
    """Rows of (Bid, its project's effective state) for the given organizations, latest deadline first."""
    return (
        select(Bid, effective_state_column())
        .join(Project, Project.id == Bid.project_id)
        .options(contains_eager(Bid.project), joinedload(Bid.org))
        .where(Bid.org_id.in_(list(org_ids)))
        .order_by(Project.bid_deadline.desc(), Bid.id.desc())
    )


def revisions_of(bid: Bid) -> list[BidRevision]:
    """The bid's revisions, first to last, with their authors."""
    return db.session.scalars(
        select(BidRevision)
        .where(BidRevision.bid_id == bid.id)
        .options(joinedload(BidRevision.author))
        .order_by(BidRevision.number)
    ).all()


def submitted_counts(project_ids) -> dict[int, int]:
    """How many submitted bids each project has (shown once bidding has closed), in one grouped query
    whatever the number of projects."""
    rows = db.session.execute(
        select(Bid.project_id, func.count())
        .where(Bid.project_id.in_(list(project_ids)), Bid.status == BidStatus.SUBMITTED)
        .group_by(Bid.project_id)
    )
    return dict(rows.all())
