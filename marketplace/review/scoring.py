"""Aggregating a panel's scores, exactly.

A panelist's total for a bid (or for a project's outcome) is Σ(score × weight) / 100. A bid's (an
outcome's) score is the mean of its panelists' totals, dropping the single highest and lowest when
five or more scored. Everything is a Fraction, so
equal scores are equal (no float noise), and ties are real ties that the published draw breaks:
lower requested budget first, then ``draw.draw_key(seed, public_id)`` ascending.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise

from sqlalchemy import select

from .. import draw
from ..bids.models import Bid
from ..bids.validity import valid_bids
from ..extensions import db
from .models import PanelSeat, ReviewRound, Score

TRIM_FROM = 5


def weighted_total(values: dict[int, int], weights: dict[int, int]) -> Fraction:
    """One panelist's total for one bid: Σ value × weight / 100, over the criteria ids in ``weights``."""
    return Fraction(sum(values[cid] * weight for cid, weight in weights.items()), 100)


def aggregate(totals: list[Fraction]) -> Fraction | None:
    """The mean of the totals, trimmed of the highest and lowest when there are five or more."""
    if not totals:
        return None
    ordered = sorted(totals)
    if len(ordered) >= TRIM_FROM:
        ordered = ordered[1:-1]
    return sum(ordered, Fraction(0)) / len(ordered)


def shown(value: Fraction | None, places: int = 2) -> str:
    """A score for people to read (the ranking itself uses the exact Fraction)."""
    if value is None:
        return "—"
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass
class RankedBid:
    bid: Bid
    score: Fraction | None
    tie_key: str
    rank: int = 0
    # panelist user id -> their total for this bid (shown once everyone has submitted)
    totals: dict[int, Fraction] = field(default_factory=dict)
    # When another bid has the same score and requested budget, the draw put them in order: the rank
    # of the first of them names the group. None when score or budget decided.
    draw_group: int | None = None

    @property
    def score_text(self) -> str:
        return shown(self.score)

    def snapshot(self) -> dict:
        """The entry kept in an award notice, which reads the same for ever."""
        return {
            "public_id": self.bid.public_id,
            "org": self.bid.org.name,
            "org_id": self.bid.org_id,
            "score": self.score_text,
            "requested_budget": str(self.bid.requested_budget),
            "rank": self.rank,
            "tie_key": self.tie_key,
            "draw_group": self.draw_group,
        }


def submitted_seats(round_: ReviewRound) -> list[PanelSeat]:
    return [s for s in round_.seats if s.submitted_at is not None]


def outcome_totals(round_: ReviewRound, criteria) -> dict[int, Fraction]:
    """Each submitted panelist's weighted total of the outcome (成效评估), by user id: one query."""
    weights = {c.id: c.weight for c in criteria}
    seats = {s.id: s for s in submitted_seats(round_)}
    values: dict[int, dict[int, int]] = defaultdict(dict)
    if seats:
        for score in db.session.scalars(select(Score).where(Score.seat_id.in_(seats), Score.of_bid(None))):
            values[score.seat_id][score.criterion_id] = score.value
    return {
        seats[seat_id].user_id: weighted_total(values[seat_id], weights)
        for seat_id in seats
        if weights.keys() <= values[seat_id].keys()
    }


def rank(round_: ReviewRound, project) -> list[RankedBid]:
    """The valid bids of ``project`` ranked by the submitted scores of ``round_`` (three queries)."""
    bids = valid_bids(project)
    weights = {c.id: c.weight for c in project.bid_criteria}
    seats = {s.id: s for s in submitted_seats(round_)}
    values: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    if seats:
        for score in db.session.scalars(select(Score).where(Score.seat_id.in_(seats))):
            values[(score.seat_id, score.bid_id)][score.criterion_id] = score.value
    ranked = []
    for bid in bids:
        totals = {
            seats[seat_id].user_id: weighted_total(values[(seat_id, bid.id)], weights)
            for seat_id in seats
            if weights.keys() <= values[(seat_id, bid.id)].keys()
        }
        ranked.append(
            RankedBid(
                bid=bid,
                score=aggregate(list(totals.values())),
                tie_key=draw.draw_key(project.tiebreak_seed, bid.public_id),
                totals=totals,
            )
        )
    ranked.sort(
        key=lambda r: (-(r.score if r.score is not None else Fraction(-1)), r.bid.requested_budget, r.tie_key)
    )
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position
    for previous, entry in pairwise(ranked):
        if (previous.score, previous.bid.requested_budget) == (entry.score, entry.bid.requested_budget):
            previous.draw_group = previous.draw_group or previous.rank
            entry.draw_group = previous.draw_group
    return ranked


@dataclass(frozen=True)
class DrawnTies:
    """The runs of a ranking whose order the draw decided, with what anyone needs to recompute it."""

    groups: list[list[dict]]  # RankedBid.snapshot() entries, in drawn order
    seed: str
    seed_text: str  # what the seed is the SHA-256 of


def drawn_ties(project, ranking: list[dict]) -> DrawnTies | None:
    """What the draw decided in ``ranking`` (snapshot entries of all the valid bids), if anything."""
    groups: dict[int, list[dict]] = defaultdict(list)
    for entry in ranking:
        if entry.get("draw_group") is not None:  # notices published before it was recorded have none
            groups[entry["draw_group"]].append(entry)
    if not groups:
        return None
    return DrawnTies(
        groups=list(groups.values()),
        seed=project.tiebreak_seed,
        seed_text=draw.seed_text(project.id, (entry["public_id"] for entry in ranking)),
    )
