"""An organization's reputation (信誉): how the projects it hosted scored, recent ones counting more.

It is the mean of the final scores of its hosted projects, each weighted by the age of its close:
weight = 0.5 ** (age in days / half-life in days), the half-life a setting. It is recomputed whenever
it is shown, against the clock and the half-life in force, from the final scores stored at each close
— so changing the half-life (or the final score's weights) later rewrites no stored score. A project
closed as 评价未完成 has no score and does not count. Decimal arithmetic throughout (the fractional
power at 28 digits), rounded half up to 0.01 at the end.

Every page asks :func:`reputations` (one statement for any number of organizations);
:func:`reputation` is its one-organization form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from .. import clock, settings
from ..extensions import db
from ..projects.models import Project
from .models import FinalOutcome, FinalScore

HALF = Decimal("0.5")
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Reputation:
    score: Decimal  # the recency-weighted mean of final scores, 0–100, to 0.01
    hosted: int  # how many scored projects it rests on


def weight(closed_at: datetime, now: datetime, half_life_days: int) -> Decimal:
    """A score's weight: halved every ``half_life_days`` since its close (a close not yet past counts
    whole)."""
    age = max(now - closed_at, timedelta(0))
    age_days = Decimal(age // timedelta(microseconds=1)) / Decimal(DAY // timedelta(microseconds=1))
    return HALF ** (age_days / half_life_days)


def recency_weighted(
    scores: Iterable[tuple[Decimal, datetime]], now: datetime, half_life_days: int
) -> Reputation | None:
    """The reputation resting on ``scores`` — (final score, closed at) pairs — or None when empty."""
    scores = list(scores)
    if not scores:
        return None
    weights = [(score, weight(closed_at, now, half_life_days)) for score, closed_at in scores]
    mean = sum(score * w for score, w in weights) / sum(w for _, w in weights)
    return Reputation(mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), len(scores))


def reputations(org_ids: Iterable[int]) -> dict[int, Reputation]:
    """The reputation of each of ``org_ids`` that has a scored hosted project, by id."""
    org_ids = set(org_ids)
    if not org_ids:
        return {}
    rows = db.session.execute(
        select(Project.host_org_id, FinalScore.score, FinalScore.closed_at)
        .join(Project, Project.id == FinalScore.project_id)
        .where(Project.host_org_id.in_(org_ids), FinalScore.outcome == FinalOutcome.SCORED)
    ).all()
    by_org: dict[int, list[tuple[Decimal, datetime]]] = defaultdict(list)
    for org_id, score, closed_at in rows:
        by_org[org_id].append((score, closed_at))
    now, half_life = clock.now(), settings.get("reputation_half_life_days")
    return {org_id: recency_weighted(scores, now, half_life) for org_id, scores in by_org.items()}


def reputation(org) -> Reputation | None:
    """The organization's reputation, or None while it has no scored hosted project."""
    return reputations([org.id]).get(org.id)
