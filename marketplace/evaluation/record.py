"""An organization's record as others read it: on its public page (信息公开) its reputation, the trend
of its latest projects' final scores and their improvement plans; beside its bids, for the panel and
the staff reviewing them, its reputation and its latest improvement plans — "整改未提交" while one is
missing. Statements are fixed: two for any number of bidders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .. import charts
from ..formatting import local_date
from ..orgs.models import Organization
from .models import ImprovementPlan
from .queries import latest_improvements, results_of
from .reputation import Reputation, reputation, reputations

TREND_SERIES = _l("最终得分")


@dataclass(frozen=True)
class OrgRecord:
    reputation: Reputation | None
    results: list  # rows of queries.results_of, oldest first
    chart: dict | None  # the trend of final scores, once one is scored


@dataclass(frozen=True)
class BidderRecord:
    reputation: Reputation | None
    improvements: list  # rows of queries.latest_improvements


def trend_chart(results: list) -> dict | None:
    """A line of the final scores by close date (a gap where the evaluation was incomplete)."""
    if not any(row.score is not None for row in results):
        return None
    return charts.spec(
        "line",
        [local_date(row.closed_at) for row in results],
        [(TREND_SERIES, [row.score for row in results])],
        y_max=100,
    )


def org_record(org: Organization) -> OrgRecord:
    results = results_of(org)
    return OrgRecord(reputation(org), results, trend_chart(results))


def bidder_records(org_ids: Iterable[int]) -> dict[int, BidderRecord]:
    """Every one of ``org_ids``'s record, by id (an empty record for one that never hosted)."""
    org_ids = set(org_ids)
    scores = reputations(org_ids)
    plans = latest_improvements(ImprovementPlan.org_id, org_ids)
    return {org_id: BidderRecord(scores.get(org_id), plans.get(org_id, [])) for org_id in org_ids}
