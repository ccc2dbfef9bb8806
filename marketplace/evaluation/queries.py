"""What the pages read of 评价: a project's final score, an organization's results, the latest
improvement plans of a category or of the organizations bidding, and, for the public page cache, when
a plan next falls overdue.

Lists are rows of columns (no model instances), a fixed number of statements and rows whatever the
database holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from .. import clock
from ..extensions import db
from ..orgs.models import Organization
from ..projects.models import Project
from .models import FinalScore, ImprovementPlan, ImprovementStatus

# How many of its latest closed projects an organization's page charts and lists.
RESULTS_SHOWN = 20
# How many of the latest improvement plans a posting form shows per category, a panel per bidder.
IMPROVEMENTS_SHOWN = 3


def final_of(project: Project) -> FinalScore | None:
    """The project's final score with its improvement plan (None until the close is recorded)."""
    return db.session.scalar(
        select(FinalScore)
        .where(FinalScore.project_id == project.id)
        .options(joinedload(FinalScore.improvement))
    )


def finals_of(project_ids: Iterable[int]) -> dict[int, FinalScore]:
    """The final scores of the given projects by project id, in one statement (a list's closed rows)."""
    project_ids = list(project_ids)
    if not project_ids:
        return {}
    found = db.session.scalars(select(FinalScore).where(FinalScore.project_id.in_(project_ids)))
    return {final.project_id: final for final in found}


def _overdue(now: datetime):
    return and_(ImprovementPlan.status == ImprovementStatus.REQUIRED, ImprovementPlan.due_at <= now).label(
        "overdue"
    )


def results_of(org: Organization, limit: int = RESULTS_SHOWN) -> list:
    """Rows of the organization's latest closed projects, oldest first: ``project_id``, ``title``,
    ``closed_at``, ``outcome``, ``score``, and its improvement plan's ``status`` (None: none
    required), ``due_at``, ``submitted_at``, ``body`` and ``overdue``."""
    rows = db.session.execute(
        select(
            Project.id.label("project_id"),
            Project.title,
            FinalScore.closed_at,
            FinalScore.outcome,
            FinalScore.score,
            ImprovementPlan.status,
            ImprovementPlan.due_at,
            ImprovementPlan.submitted_at,
            ImprovementPlan.body,
            _overdue(clock.now()),
        )
        .join(Project, Project.id == FinalScore.project_id)
        .outerjoin(ImprovementPlan, ImprovementPlan.project_id == FinalScore.project_id)
        .where(Project.host_org_id == org.id)
        .order_by(FinalScore.closed_at.desc(), FinalScore.id.desc())
        .limit(limit)
    ).all()
    return rows[::-1]


def latest_improvements(by, keys: Iterable | None = None, per_group: int = IMPROVEMENTS_SHOWN) -> dict:
    """The latest improvement plans grouped by ``by`` (``Project.category``, or
    ``ImprovementPlan.org_id``), at most ``per_group`` each, newest first; only the groups in ``keys``
    when given. Rows of ``project_id``, ``title``, ``host``, ``score``, ``status``, ``due_at``,
    ``submitted_at``, ``body`` and ``overdue``: one statement."""
    ranked = (
        select(
            by.label("key"),
            Project.id.label("project_id"),
            Project.title,
            Organization.name.label("host"),
            FinalScore.score,
            ImprovementPlan.status,
            ImprovementPlan.due_at,
            ImprovementPlan.submitted_at,
            ImprovementPlan.body,
            _overdue(clock.now()),
            func.row_number()
            .over(partition_by=by, order_by=(ImprovementPlan.due_at.desc(), ImprovementPlan.id.desc()))
            .label("place"),
        )
        .join(Project, Project.id == ImprovementPlan.project_id)
        .join(FinalScore, FinalScore.project_id == ImprovementPlan.project_id)
        .join(Organization, Organization.id == ImprovementPlan.org_id)
    )
    if keys is not None:
        keys = list(keys)
        if not keys:
            return {}
        ranked = ranked.where(by.in_(keys))
    ranked = ranked.subquery()
    rows = db.session.execute(
        select(ranked).where(ranked.c.place <= per_group).order_by(ranked.c.key, ranked.c.place)
    ).all()
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[row.key].append(row)
    return dict(grouped)


def next_improvement_due(now: datetime) -> datetime | None:
    """When a missing improvement plan next falls overdue, which the public pages say. For the public
    page cache."""
    return db.session.scalar(
        select(func.min(ImprovementPlan.due_at)).where(
            ImprovementPlan.status == ImprovementStatus.REQUIRED, ImprovementPlan.due_at > now
        )
    )
