"""In a real browser: staff form a panel, three evaluators score on phones, staff award on a desktop,
a student objects, the league reviewer dismisses it, and once the window has passed the host's
manager sees the project being hosted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace import clock
from marketplace.review import operations as review
from tests import factories
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.review.helpers import ReviewWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect

# What each evaluator gives every criterion of each club's bid.
MARKS = {"学业互助社": [90, 85, 88], "青年志愿者协会": [70, 75, 72]}


def score_on_a_phone(page, world, i: int) -> None:
    """The i-th evaluator declares, scores both bids one at a time, and submits."""
    sign_in(page, world.evaluators[i])
    page.get_by_role("link", name="我的评审").click()
    page.get_by_role("link", name="声明并开始").click()
    expect(page.get_by_label("我与以上竞标组织均无利益冲突")).to_be_checked()
    page.get_by_role("button", name="提交声明").click()
    for position in range(2):
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text(f"第 {position + 1}/2 份")
        org = next(name for name in MARKS if name in heading.inner_text())
        for criterion in world.criteria:
            page.get_by_label(f"{criterion.name}得分（0–100）").fill(str(MARKS[org][i]))
        page.get_by_label(f"{world.criteria[0].name}评语").fill(f"{org}的方案已逐项核对")
        assert fits_width(page)
        if position == 0:
            screenshot(page, f"phone-scoring-{i}")
            page.get_by_role("button", name="保存并评下一份").click()
        else:
            page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_test_id("scored")).to_contain_text("已评 2/2 份")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交全部评分").click()
    expect(page.get_by_role("alert")).to_contain_text("评分已提交")


def test_evaluators_score_on_phones_staff_award_a_student_objects_and_the_host_takes_over(
    phone_page, desktop_page
):
    world = ReviewWorld()
    student = factories.user(name="关注结果的同学")
    desk, phone = desktop_page, phone_page
    desk_errors, phone_errors = watch_errors(desk), watch_errors(phone)
    review_url = f"/review/projects/{world.project.id}"

    sign_in(desk, world.staff)
    desk.goto(review_url)
    for evaluator in world.evaluators:
        desk.get_by_label("添加评议人").select_option(label=evaluator.name)
        desk.get_by_role("button", name="邀请加入评审组").click()
    expect(desk.get_by_test_id("progress")).to_have_text("已完成 0/3")

    for i in range(3):
        score_on_a_phone(phone, world, i)

    desk.goto(review_url)
    expect(desk.get_by_test_id("progress")).to_have_text("已完成 3/3")
    ranking = desk.get_by_test_id("ranking")
    expect(ranking.get_by_role("row").nth(1)).to_contain_text("学业互助社")
    expect(ranking.get_by_test_id("score").first).to_have_text("87.67")
    screenshot(desk, "desktop-ranking")
    desk.get_by_role("button", name="定标并发布公示").click()
    expect(desk.get_by_test_id("winner")).to_have_text("学业互助社")

    sign_in(phone, student)
    phone.goto(f"/projects/{world.project.id}/notice")
    phone.get_by_label("异议理由").fill("第二名的方案覆盖面更广，希望复核评分")
    phone.get_by_role("button", name="提出异议").click()
    expect(phone.get_by_role("alert")).to_contain_text("异议已提交")
    assert fits_width(phone)
    screenshot(phone, "phone-notice")

    sign_in(desk, world.reviewer)
    desk.get_by_role("link", name="公示异议").click()
    expect(desk.get_by_test_id("objection")).to_contain_text("关注结果的同学")
    desk.get_by_label("处理意见").fill("经核查评分记录，评分程序合规，异议不成立")
    desk.get_by_role("button", name="异议不成立").click()
    expect(desk.get_by_role("alert")).to_contain_text("已认定异议不成立")

    clock.set(review.active_notice(world.project).window_ends_at + timedelta(minutes=1))
    sign_in(phone, world.manager_a)
    phone.goto(f"/projects/{world.project.id}")
    expect(phone.get_by_test_id("state").first).to_have_text("承办中")
    assert desk_errors == [] and phone_errors == []
