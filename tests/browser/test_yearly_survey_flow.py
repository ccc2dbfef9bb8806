"""In a real browser: a student answers the school union's yearly survey on a 375 px phone — from the
list of surveys to answer, star by star — once only; after the window anyone sees the union's
dashboard with its charts, and the league reviewer also sees the college × grade breakdown, with a
small cell hidden, under the Content-Security-Policy."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.browser.test_survey_flow import DRAWN, rate_star_by_star
from tests.satisfaction.helpers import YearWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect


def drawn(page, chart_id: str) -> None:
    chart = page.locator(f"#{chart_id}")
    expect(chart.locator("canvas")).to_have_count(1)
    assert chart.evaluate(DRAWN)


def test_a_student_answers_the_unions_yearly_survey_on_a_phone_and_the_dashboard_shows_it_after_the_window(
    phone_page, desktop_page
):
    world = YearWorld(per_cell=5)
    student = factories.user(name="周同学", college=world.colleges[0], grade=2024)
    survey = world.open()[world.school_union.id]
    world.answer_all(survey, [s for s in world.all_undergraduates()][:-2])
    phone = phone_page
    errors = watch_errors(phone)

    sign_in(phone, student)
    phone.goto("/satisfaction/mine")
    expect(phone.get_by_test_id("yearly-survey")).to_have_count(2)
    phone.get_by_test_id("yearly-survey").filter(has_text="校学生会").get_by_role(
        "link", name="去评价"
    ).click()
    expect(phone.get_by_test_id("notice")).to_contain_text("提交后不能查看或修改你的回答")
    rate_star_by_star(phone, (5, 4, 4, 5, 3))
    phone.get_by_label("意见和建议（选填）").fill("希望权益反馈渠道更通畅")
    assert fits_width(phone)
    screenshot(phone, "phone-yearly-survey")
    phone.get_by_role("button", name="匿名提交").click()

    expect(phone.get_by_role("alert").first).to_contain_text("已匿名提交")
    expect(phone.get_by_test_id("answered")).to_be_visible()
    expect(phone.get_by_role("button", name="匿名提交")).to_have_count(0)
    phone.goto("/satisfaction/mine")
    expect(phone.get_by_test_id("yearly-survey").filter(has_text="校学生会")).to_contain_text("已填写")
    assert errors == []

    world.close(survey)
    phone.context.clear_cookies()
    visitor = desktop_page
    seen = watch_errors(visitor)
    for page, width in ((phone, 375), (visitor, 1280)):
        page.goto(world.school_union.url)
        page.get_by_test_id("satisfaction-link").click()
        expect(page.get_by_test_id("survey-counts")).to_contain_text("回收答卷 19 份")
        drawn(page, "dimension-chart")
        drawn(page, "trend-chart")
        expect(page.get_by_test_id("breakdown")).to_have_count(0)
        assert fits_width(page)
        screenshot(page, f"yearly-dashboard-public-{width}")

    sign_in(visitor, world.reviewer)
    visitor.goto(f"/unions/{world.school_union.id}/satisfaction")
    expect(visitor.get_by_test_id("breakdown")).to_be_visible()
    expect(visitor.get_by_test_id("hidden-cell").first).to_be_visible()
    drawn(visitor, "grade-chart")
    screenshot(visitor, "yearly-dashboard-reviewer-1280")
    assert seen == []
