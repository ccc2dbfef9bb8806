"""Zero is a real answer: a bid may ask for no money (self-funded) and recruit no volunteers, and every
page that shows the bid says so in words rather than "0.00 元" and "0 人"."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from tests.bids.helpers import bid_form, signed_in
from tests.projects.helpers import World
from tests.review.helpers import ReviewWorld, awarded


def test_the_bid_form_says_that_zero_is_allowed(app):
    world = World()
    project = world.open_project()

    page = signed_in(app, world.manager_a).get(f"/projects/{project.id}/bid").get_data(as_text=True)

    assert "填 0 表示零经费（自筹）" in page
    assert "不招募志愿者填 0" in page


def test_a_bid_for_no_money_and_no_volunteers_is_accepted_and_says_so(app):
    world = World()
    project = world.open_project()
    client = signed_in(app, world.manager_a)

    saved = client.post(
        f"/projects/{project.id}/bid", data=bid_form(requested_budget="0", expected_volunteers="0")
    )

    assert saved.status_code == 302
    page = client.get(saved.location).get_data(as_text=True)
    assert "零经费（自筹）" in page and "不招募志愿者" in page
    assert not re.search(r"(?<![\d.])0(\.00)? 元", page) and not re.search(r"(?<!\d)0 人", page)
    assert "零经费（自筹）" in client.get("/bids/mine").get_data(as_text=True)


@pytest.fixture
def review_world(app):
    world = ReviewWorld()
    world.bid_a.requested_budget = 0
    db.session.commit()
    return world


def test_the_project_bids_list_shows_a_zero_budget_as_self_funded(app, review_world):
    page = signed_in(app, review_world.staff).get(f"/projects/{review_world.project.id}/bids")

    assert "零经费（自筹）" in page.get_data(as_text=True)


def test_the_ranking_and_the_award_notice_show_a_zero_budget_as_self_funded(app, review_world):
    world = awarded(review_world)
    staff = signed_in(app, world.staff)

    ranking = staff.get(f"/review/projects/{world.project.id}").get_data(as_text=True)
    notice = staff.get(f"/projects/{world.project.id}/notice").get_data(as_text=True)

    assert "零经费（自筹）" in ranking[ranking.index('data-testid="ranking"') :]
    winner, ranking_on_notice = notice.split('data-testid="notice-ranking"')
    assert "零经费（自筹）" in winner and "零经费（自筹）" in ranking_on_notice
    assert not re.search(r"(?<![\d.])0(\.00)? 元", notice)
