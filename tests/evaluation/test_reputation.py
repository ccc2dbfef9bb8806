"""信誉: the mean of an organization's hosted projects' final scores, each weighed 0.5 ** (age in days /
half-life) by the age of its close; recomputed from the stored scores whenever shown, so a new
half-life rewrites nothing stored. Shown on the organization's page with a trend chart and a table,
and beside its bids to those reviewing them once the bids are unsealed."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from marketplace import clock as the_clock
from marketplace import settings
from marketplace.evaluation.models import FinalScore
from marketplace.evaluation.reputation import Reputation, recency_weighted, reputation, reputations, weight
from marketplace.extensions import db
from marketplace.orgs.models import OrgKind
from tests import factories
from tests.bids.helpers import signed_in
from tests.evaluation.helpers import scored
from tests.projects.helpers import World
from tests.review.helpers import ReviewWorld

YEAR = timedelta(days=365)


@pytest.fixture
def world(app):
    return World()


def test_a_score_weighs_half_as_much_for_every_half_life_of_its_age():
    now = the_clock.now()
    assert weight(now, now, 365) == 1
    assert weight(now - YEAR, now, 365) == Decimal("0.5")
    assert weight(now - 2 * YEAR, now, 365) == Decimal("0.25")
    assert weight(now + timedelta(days=1), now, 365) == 1  # a close not yet past counts whole


def test_the_reputation_is_the_recency_weighted_mean_of_final_scores_to_the_cent():
    now = the_clock.now()
    # (80 × 1 + 50 × 0.5) / 1.5
    assert recency_weighted([(Decimal(80), now), (Decimal(50), now - YEAR)], now, 365) == Reputation(
        Decimal("70.00"), 2
    )
    # (80 × 1 + 40 × 0.25) / 1.25
    assert recency_weighted([(Decimal(80), now), (Decimal(40), now - 2 * YEAR)], now, 365).score == Decimal(
        "72.00"
    )
    # half a half-life: (80 + 50 × √½) / (1 + √½) = 67.5735…
    assert recency_weighted([(Decimal(80), now), (Decimal(50), now - YEAR / 2)], now, 365).score == Decimal(
        "67.57"
    )
    assert recency_weighted([], now, 365) is None


def test_an_organizations_reputation_rests_on_its_scored_hosted_projects_only(world):
    scored(world, world.club_a, "80")
    scored(world, world.club_a, "50", days_ago=365)
    scored(world, world.club_a, None)  # 评价未完成: no score to count
    scored(world, world.club_b, "10")

    assert reputation(world.club_a) == Reputation(Decimal("70.00"), 2)
    assert reputation(world.club_b) == Reputation(Decimal("10.00"), 1)
    assert reputation(factories.org(OrgKind.CLUB)) is None


def test_a_new_half_life_recomputes_the_reputation_from_the_scores_as_stored(world, admin):
    scored(world, world.club_a, "80")
    scored(world, world.club_a, "50", days_ago=365)
    stored = db.session.execute(select(FinalScore.score, FinalScore.closed_at)).all()

    settings.put("reputation_half_life_days", 730, admin)
    db.session.commit()

    assert reputation(world.club_a).score == Decimal("67.57")  # the older score now weighs √½
    assert db.session.execute(select(FinalScore.score, FinalScore.closed_at)).all() == stored


def test_the_reputation_of_every_bidder_on_a_page_takes_the_same_statements_however_many(
    world, count_queries
):
    clubs = [factories.org(OrgKind.CLUB) for _ in range(5)]
    for n, club in enumerate(clubs):
        scored(world, club, 60 + n)
    ids = [club.id for club in clubs]

    few, many = count_queries(lambda: reputations(ids[:2])), count_queries(lambda: reputations(ids))
    assert few == many <= 2  # the scores, and the half-life unless the page has read its settings
    assert reputations(ids)[ids[4]] == Reputation(Decimal("64.00"), 1)


def test_the_organizations_page_shows_its_reputation_with_a_trend_chart_and_a_table(app, world):
    scored(world, world.club_a, "50", days_ago=365, title="迎新晚会")
    scored(world, world.club_a, None, days_ago=100, title="读书会")
    scored(world, world.club_a, "80", title="考研讲座")

    page = signed_in(app, None).get(f"/orgs/{world.club_a.id}").get_data(as_text=True)

    assert 'data-testid="reputation">70.00<' in page and "2 个已评分承办项目" in page
    spec = json.loads(re.search(r'id="final-score-trend-spec">(.*?)</script>', page).group(1))
    assert spec["kind"] == "line" and spec["y_max"] == 100
    assert spec["series"][0]["data"] == [50.0, None, 80.0]  # oldest first; a gap where incomplete
    assert len(spec["categories"]) == 3
    assert "vendor/echarts/echarts.min.js" in page and "js/charts.js" in page
    table = page[page.index('data-testid="results"') :]
    assert table.index("迎新晚会") < table.index("读书会") < table.index("考研讲座")
    assert "评价未完成" in table


def test_a_page_without_a_chart_loads_no_chart_script(app, world):
    page = signed_in(app, None).get(f"/orgs/{world.club_a.id}").get_data(as_text=True)
    assert "暂无承办记录" in page and "echarts" not in page
    union = signed_in(app, None).get(f"/orgs/{world.union.id}").get_data(as_text=True)
    assert 'id="record"' not in union  # the unions post projects and host none


def test_reputation_shows_beside_each_bid_to_its_reviewers_once_the_bids_are_unsealed(app):
    world = ReviewWorld()
    scored(world, world.club_a, "80")
    scored(world, world.club_a, "50", days_ago=365)
    world.seat_everyone()

    panelist = signed_in(app, world.evaluators[0])
    page = panelist.get(f"/review/projects/{world.project.id}/score/{world.bid_a.public_id}").get_data(
        as_text=True
    )
    assert "70.00 分（2 个项目）" in page

    world.score_all({world.bid_a: [90, 85, 88], world.bid_b: [70, 75, 72]})
    ranking = signed_in(app, world.staff).get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    ranking = ranking[ranking.index('data-testid="ranking"') :]
    assert "70.00 分（2 个项目）" in ranking and "暂无承办记录" in ranking  # club B never hosted
