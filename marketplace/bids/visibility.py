"""Sealing (密封): who may see a bid, and the record of who was recused (回避) when bidding closed.

Before the deadline a bid is visible to the managers of the bidding organization only. After it,
the panel, the posting union's staff and the league reviewer see the project's bids — except anyone
recused (``projects.recusal``): a person whose membership of a bidding organization was active on the
deadline's date. Other bidders are always recused, so they never see a competitor's plan.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select

from .. import permissions
from ..extensions import db
from ..orgs.models import Membership
from ..permissions import Role
from ..projects.lifecycle import effective_state, effective_state_in
from ..projects.models import CriterionPurpose, Project, ProjectState
from ..projects.recusal import is_recused, recused_pairs
from ..review.models import PanelSeat, ReviewRound
from ..timeutil import SCHOOL_TZ
from .models import Bid, BidStatus, Recusal

SEALED_STATES = frozenset({ProjectState.DRAFT, ProjectState.PENDING_APPROVAL, ProjectState.OPEN})


def is_sealed(project: Project) -> bool:
    """Sealed until bidding closes. A project cancelled while bidding was open never closed bidding,
    so its bids stay sealed even once the old deadline has passed."""
    return sealed_in(effective_state(project), project)


def sealed_in(state: ProjectState, project: Project) -> bool:
    """``is_sealed`` for a project whose effective state is already known (a list read it in SQL)."""
    return state in SEALED_STATES or (state == ProjectState.CANCELLED and project.bidding_closed_at is None)


def record_recusals(project: Project) -> None:
    """Write down, when bidding closes, everyone recused from the project (回避记录)."""
    existing = set(
        db.session.execute(
            select(Recusal.user_id, Recusal.org_id).where(Recusal.project_id == project.id)
        ).all()
    )
    for user_id, org_id in recused_pairs(project):
        if (user_id, org_id) not in existing:
            db.session.add(Recusal(project_id=project.id, user_id=user_id, org_id=org_id))
            existing.add((user_id, org_id))


def is_declared_panelist(user, project: Project) -> bool:
    """On a bid review panel of the project (not its outcome panel), having declared no conflict of
    interest."""
    return (
        db.session.scalar(
            select(PanelSeat.id)
            .join(ReviewRound, ReviewRound.id == PanelSeat.round_id)
            .where(
                ReviewRound.project_id == project.id,
                ReviewRound.purpose == CriterionPurpose.BID,
                PanelSeat.user_id == user.id,
                PanelSeat.declared_at.is_not(None),
            )
            .limit(1)
        )
        is not None
    )


def oversees(user, project: Project) -> bool:
    """Those who see all bids after the deadline: the posting union's staff, league reviewers, and
    the declared panelists."""
    return (
        project.union_id in permissions.staff_union_ids(user)
        or permissions.has_role(user, Role.LEAGUE_REVIEWER)
        or is_declared_panelist(user, project)
    )


def can_view_bid(user, bid: Bid) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if bid.org_id in permissions.managed_org_ids(user):
        return True
    project = bid.project
    if is_sealed(project) or is_recused(user, project):
        return False
    return oversees(user, project)


def can_view_bids_of(user, project: Project) -> bool:
    """May see the list of all bids on ``project`` (after the deadline, not recused)."""
    if not getattr(user, "is_authenticated", False) or is_sealed(project):
        return False
    return oversees(user, project) and not is_recused(user, project)


def _sealed_projects():
    """The ids of the projects whose bids are still sealed, as a subquery: the whole school's, which
    grow with its history, are never read into a list."""
    return select(Project.id).where(
        or_(
            effective_state_in(*SEALED_STATES),
            and_(Project.state == ProjectState.CANCELLED, Project.bidding_closed_at.is_(None)),
        )
    )


def _recused_projects(user) -> set[int]:
    """The projects ``user`` is recused from: their organization bid while they were a member."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rows = db.session.execute(
        select(Project.id, Project.bid_deadline, Membership)
        .join(Bid, Bid.project_id == Project.id)
        .join(Membership, Membership.org_id == Bid.org_id)
        .where(Membership.user_id == user.id, Bid.status == BidStatus.SUBMITTED)
    ).all()
    return {
        project_id
        for project_id, deadline, membership in rows
        if membership.is_active_on(deadline.astimezone(SCHOOL_TZ).date())
    }


def bids_hidden(user, project_id) -> ColumnElement:
    """A condition on ``project_id`` (a column): it names a project whose bids ``user`` may not read,
    still sealed or recused from."""
    recused = _recused_projects(user)
    sealed = project_id.in_(_sealed_projects())
    return or_(sealed, project_id.in_(recused)) if recused else sealed


def hidden_bid_projects(user) -> set[int]:
    """Projects whose bid audit entries ``user`` may not read: still sealed, or recused from."""
    return set(db.session.scalars(_sealed_projects())) | _recused_projects(user)
