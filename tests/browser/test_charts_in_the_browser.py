"""In a real browser: an organization's page draws the trend of its final scores with the vendored
ECharts — from the JSON spec on the page, under the Content-Security-Policy (no inline script, no style
attribute), with no violation or script error — fits a phone and a desktop, follows the window's
width, and shows its tooltip drawn on the canvas."""

from __future__ import annotations

import pytest

from tests.browser.live import fits_width, screenshot, sync_api_or_skip, watch_errors
from tests.evaluation.helpers import scored
from tests.projects.helpers import World

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect

CANVAS_WIDTH = "document.querySelector('#final-score-trend canvas').getBoundingClientRect().width"
DRAWN = "window.echarts.getInstanceByDom(document.getElementById('final-score-trend')) !== undefined"


def hosted_three(world) -> None:
    scored(world, world.club_a, "58.5", days_ago=400, title="迎新晚会")
    scored(world, world.club_a, None, days_ago=200, title="读书会")
    scored(world, world.club_a, "86.25", days_ago=10, title="考研经验分享会")


def draw(page, url: str, name: str) -> list[str]:
    errors = watch_errors(page)
    page.goto(url)
    chart = page.locator("#final-score-trend")
    expect(chart.locator("canvas")).to_have_count(1)
    assert page.evaluate(DRAWN)
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] >= 200, box
    chart.hover(position={"x": box["width"] - 40, "y": box["height"] / 2})  # the latest point's tooltip
    assert fits_width(page)
    screenshot(page, name)
    return errors


def test_the_organizations_trend_chart_draws_on_a_phone_and_a_desktop_with_no_csp_violation(
    phone_page, desktop_page
):
    world = World()
    hosted_three(world)
    url = f"/orgs/{world.club_a.id}"

    assert draw(phone_page, url, "chart-org-375") == []
    assert draw(desktop_page, url, "chart-org-1280") == []
    expect(desktop_page.get_by_test_id("results")).to_contain_text("评价未完成")


def test_the_chart_follows_the_windows_width(desktop_page):
    world = World()
    hosted_three(world)
    page = desktop_page
    page.goto(f"/orgs/{world.club_a.id}")
    expect(page.locator("#final-score-trend canvas")).to_have_count(1)
    wide = page.evaluate(CANVAS_WIDTH)

    page.set_viewport_size({"width": 600, "height": 900})
    page.wait_for_function(f"{CANVAS_WIDTH} < {wide}")
    assert page.evaluate(CANVAS_WIDTH) <= 600
