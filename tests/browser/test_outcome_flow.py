"""In a real browser: staff adapt the outcome criteria and seat the outcome panel on a desktop; three
evaluators read the completion report and score it on phones; the staff see the panel's score."""

from __future__ import annotations

import pytest

from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.review.helpers import REPORT, OutcomeWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect

MARKS = [90, 80, 70]  # each evaluator gives every criterion the same mark


def score_on_a_phone(page, world, i: int) -> None:
    sign_in(page, world.evaluators[i])
    page.get_by_role("link", name="我的评审").click()
    row = page.get_by_test_id("panels").get_by_role("listitem").first
    expect(row).to_contain_text("成效评估")
    row.get_by_role("link", name="声明并开始").click()
    expect(page.get_by_label("我与承办方无利益冲突")).to_be_checked()
    page.get_by_role("button", name="提交声明").click()
    expect(page.get_by_test_id("outcomes")).to_have_text(REPORT["outcomes"])
    for criterion in world.project.outcome_criteria:
        page.get_by_label(f"{criterion.name}得分（0–100）").fill(str(MARKS[i]))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_test_id("scored")).to_contain_text("已评 3/3 项")
    assert fits_width(page)
    screenshot(page, f"phone-outcome-{i}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交全部评分").click()
    expect(page.get_by_role("alert")).to_contain_text("评分已提交")


def test_staff_adapt_the_criteria_and_seat_the_panel_and_evaluators_score_the_outcome_on_phones(
    phone_page, desktop_page
):
    world = OutcomeWorld()
    desk, phone = desktop_page, phone_page
    desk_errors, phone_errors = watch_errors(desk), watch_errors(phone)
    outcome_url = f"/review/projects/{world.project.id}/outcome"

    sign_in(desk, world.staff)
    desk.goto(outcome_url)
    desk.get_by_label("第 3 项：权重").fill("40")
    for what in ("标准名称", "说明", "权重"):  # 覆盖面 goes: a row is removed by emptying it
        desk.get_by_label(f"第 4 项：{what}").fill("")
    desk.get_by_role("button", name="保存评估标准").click()
    expect(desk.get_by_role("alert")).to_contain_text("成效评估标准已保存")
    for evaluator in world.evaluators:
        desk.get_by_label("添加评议人").select_option(label=evaluator.name)
        desk.get_by_role("button", name="邀请加入评估小组").click()
    expect(desk.get_by_test_id("progress")).to_have_text("已完成 0/3")

    for i in range(3):
        score_on_a_phone(phone, world, i)

    desk.goto(outcome_url)
    expect(desk.get_by_test_id("progress")).to_have_text("已完成 3/3")
    expect(desk.get_by_test_id("panel-score")).to_have_text("80.00")
    expect(desk.get_by_test_id("criteria")).to_contain_text("预算执行")
    screenshot(desk, "desktop-outcome")
    assert desk_errors == [] and phone_errors == []
