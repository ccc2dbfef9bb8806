"""An organization's reputation (信誉) as a bid review panel sees it: how its hosted projects scored.

It is the recency-weighted mean of the final scores of the projects it hosted. Final scores come
with outcome evaluation (评价); until that work fills this function in, no organization has a record,
and the panel reads "暂无承办记录". Panels call this one function and nothing else, so filling it in
changes every page that shows a reputation at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Reputation:
    score: Decimal  # the recency-weighted mean of final scores, 0–100
    hosted: int  # how many evaluated projects it rests on


def reputation(org) -> Reputation | None:
    """The organization's reputation, or None while it has no evaluated hosted project."""
    return None
