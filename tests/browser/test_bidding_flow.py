"""In a real browser: staff post a project, two club managers bid (one on a phone), a rival cannot open
the other club's bid, and when the clock passes the deadline the project is under review."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from marketplace import clock
from marketplace.bids.models import Bid
from marketplace.extensions import db
from marketplace.projects.models import Project
from tests.browser.live import fits_width, screenshot, sign_in, watch_errors
from tests.projects.helpers import World

pytestmark = pytest.mark.browser


def bid_on(page, project_url: str, summary: str, budget: str) -> None:
    page.goto(project_url)
    page.get_by_role("link", name=re.compile("竞标$")).click()  # the name starts with the icon's glyph
    page.get_by_label("方案摘要").fill(summary)
    page.get_by_label("实施方案").fill("### 活动安排\n- 第 1 周：招募志愿者\n- 第 2–6 周：每周两场讲座")
    page.get_by_label("申请预算（元）").fill(budget)
    page.get_by_label("时间安排").fill("4 月上旬启动，5 月底结束")
    page.get_by_role("button", name="提交标书").click()
    expect(page.get_by_test_id("bid-summary")).to_have_text(summary)


def test_staff_post_two_clubs_bid_a_rival_is_kept_out_and_the_deadline_starts_the_review(
    phone_page, desktop_page
):
    world = World()
    desk, phone = desktop_page, phone_page
    desk_errors, phone_errors = watch_errors(desk), watch_errors(phone)

    sign_in(desk, world.staff)
    desk.goto("/projects/new")
    desk.get_by_label("项目名称").fill("心理健康宣传周")
    desk.get_by_label("需求说明").fill("期末前不少同学压力大，希望有讲座和一对一的倾诉渠道。")
    desk.get_by_label("预期成效").fill("举办 4 场讲座，覆盖 500 名同学。")
    desk.get_by_label("预算上限（元）").fill("5000")
    desk.get_by_role("button", name="保存草稿").click()
    desk.get_by_role("button", name="发布", exact=True).click()
    expect(desk.get_by_text("竞标中").first).to_be_visible()
    project_url = desk.url.split("?")[0].split("#")[0]

    sign_in(phone, world.manager_a)
    bid_on(phone, project_url, "学业互助社：讲座加朋辈倾听小站", "4200")
    assert fits_width(phone)
    screenshot(phone, "phone-bid")
    bid_a_url = phone.url

    sign_in(desk, world.manager_b)
    bid_on(desk, project_url, "青年志愿者协会：线上线下结合", "4800")

    response = desk.goto(bid_a_url)
    assert response.status == 404
    expect(desk.get_by_text("学业互助社：讲座加朋辈倾听小站")).to_have_count(0)

    project = db.session.scalars(db.select(Project)).one()
    assert db.session.query(Bid).filter_by(project_id=project.id).count() == 2
    clock.set(project.bid_deadline + timedelta(minutes=1))
    desk.goto(project_url)
    expect(desk.get_by_text("评标中").first).to_be_visible()
    phone.goto(bid_a_url)  # the bidder still reads their own bid after the deadline
    expect(phone.get_by_test_id("bid-summary")).to_have_text("学业互助社：讲座加朋辈倾听小站")
    assert phone_errors == []
    assert [e for e in desk_errors if "status of 404" not in e] == []  # the rival's 404 is expected
