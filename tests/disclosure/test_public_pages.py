"""信息公开 on the pages that were already public: the project list shows a closed project's final
score, the award notice the winner's reputation, and a union's page links its public record while
naming only its managers (the whole staff list is for students signed in)."""

from __future__ import annotations

import pytest

from tests.bids.helpers import signed_in
from tests.disclosure.helpers import DisclosureWorld
from tests.evaluation.helpers import scored
from tests.review.helpers import ReviewWorld, awarded


def test_the_project_list_shows_a_closed_project_s_final_score(app, clock):
    world = ReviewWorld()
    scored(world, world.club_a, "86.25", days_ago=3, title="读书分享会")
    html = signed_in(app, None).get("/projects").get_data(as_text=True)
    assert 'data-testid="list-final"' in html and "最终得分 86.25 分" in html


def test_the_award_notice_shows_the_winner_s_reputation(app, clock):
    world = ReviewWorld()
    scored(world, world.club_a, "80", days_ago=30, title="往期项目")
    awarded(world)
    html = signed_in(app, None).get(f"/projects/{world.project.id}/notice").get_data(as_text=True)
    assert 'data-testid="winner-reputation"' in html and "承办信誉 80" in html


@pytest.fixture
def world(app, clock):
    return DisclosureWorld()


def test_a_union_s_page_links_its_public_record_and_names_only_its_managers(app, world):
    html = signed_in(app, None).get(world.union.url).get_data(as_text=True)
    for link in (
        f"/disclosure/unions/{world.union.id}",
        f"/disclosure/announcements?union={world.union.id}",
        f"/disclosure/unions/{world.union.id}/staff",
        f"/disclosure/suggestions?union={world.union.id}",
    ):
        assert f'href="{link}"' in html
    assert world.chair.name in html and world.staff.name not in html
