"""In a real browser, on a phone: a student who came to an event scans the host's participant QR code
before logging in and is checked in after the login; when the project enters 评价中 the student rates
it star by star and submits — and the page says, before the button, that the answer cannot be seen or
changed afterwards. A volunteer answers from the project page, once only; once the window has passed,
anyone sees the results drawn as a chart, under the Content-Security-Policy."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.surveys import operations as surveys
from tests import factories
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.surveys.helpers import DEFAULT_LABELS, REPORT, SurveyWorld
from tests.volunteers.helpers import HostingWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect
FILLED = "\uf586"  # bi-star-fill's glyph; an empty star is bi-star's
DRAWN = "(chart) => window.echarts.getInstanceByDom(chart) !== undefined"
# The text drawn on a chart's canvas, in drawing order (a wrapped label's lines follow each other).
DRAWN_TEXT = """(chart) => window.echarts.getInstanceByDom(chart).getZr().storage.getDisplayList()
  .map((element) => (element.style && element.style.text) || "").join("")"""


def glyph(label) -> str:
    return label.evaluate("(l) => getComputedStyle(l.querySelector('.bi'), '::before').content").strip('"')


def test_a_participant_checks_in_by_qr_and_rates_the_project_star_by_star_on_a_phone(
    phone_page, desktop_page
):
    world = HostingWorld()
    surveys.prepare_for_project(world.project)
    db.session.commit()
    student = factories.user(name="林小雨")
    phone, desk = phone_page, desktop_page
    errors = watch_errors(phone)

    sign_in(desk, world.host)
    desk.goto(f"/hosting/projects/{world.project.id}")
    desk.get_by_role("button", name="开放今天的参与签到").click()
    qr_link = desk.get_by_text(re.compile(r"/attend/\d+\?code=\d{6}$")).inner_text()

    phone.goto(qr_link)  # the scan, before logging in
    phone.get_by_label("学号 / 工号 / 邮箱").fill(student.identifier)
    phone.get_by_label("密码", exact=True).fill(factories.PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("alert").first).to_contain_text("签到成功")
    expect(phone.get_by_test_id("checked-in")).to_be_visible()
    assert fits_width(phone)

    hosting.submit_completion(world.host, world.project, REPORT)
    db.session.commit()
    survey = surveys.survey_of(world.project)
    phone.goto(survey.url)
    expect(phone.get_by_test_id("notice")).to_contain_text("提交后不能查看或修改你的回答")
    for dimension, stars in zip(phone.get_by_test_id("dimension").all(), (4, 5, 3, 5), strict=True):
        labels = dimension.locator(".stars label:not(.visually-hidden)")
        labels.nth(stars - 1).click()
        expect(dimension.get_by_role("radio", name=f"{stars} 星")).to_be_checked()
        assert [glyph(labels.nth(i)) == FILLED for i in range(5)] == [i < stars for i in range(5)]
    assert fits_width(phone)
    screenshot(phone, "phone-survey")
    phone.get_by_label("意见和建议（选填）").fill("讲得很好，希望多办几期")
    phone.get_by_role("button", name="匿名提交").click()

    expect(phone.get_by_role("alert").first).to_contain_text("已匿名提交")
    expect(phone.get_by_test_id("answered")).to_be_visible()
    assert errors == []


def rate_star_by_star(page, stars) -> None:
    """Click each dimension's ``stars``-th star and check that it, and only the stars up to it, show."""
    for dimension, n in zip(page.get_by_test_id("dimension").all(), stars, strict=True):
        labels = dimension.locator(".stars label:not(.visually-hidden)")
        labels.nth(n - 1).click()
        expect(dimension.get_by_role("radio", name=f"{n} 星")).to_be_checked()
        assert [glyph(labels.nth(i)) == FILLED for i in range(5)] == [i < n for i in range(5)]


def see_results_chart(page, name: str) -> None:
    chart = page.locator("#satisfaction-chart")
    expect(chart.locator("canvas")).to_have_count(1)
    assert chart.evaluate(DRAWN)
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] >= 200, box
    drawn = chart.evaluate(DRAWN_TEXT)
    assert all(label in drawn for label in DEFAULT_LABELS), drawn  # every bar named, on a phone too
    assert fits_width(page)
    screenshot(page, name)


def test_a_volunteer_answers_once_on_a_phone_and_after_the_window_anyone_sees_the_results_chart(
    phone_page, desktop_page
):
    world = SurveyWorld(volunteers=5, participants=0)
    survey = world.evaluate()
    volunteer, others = world.volunteers[1], [v for v in world.volunteers if v is not world.volunteers[1]]
    world.answer_all(others)  # with the volunteer's, k answers: the results may show after the window
    phone = phone_page
    errors = watch_errors(phone)

    sign_in(phone, volunteer)
    phone.goto(world.project.url)
    phone.get_by_role("link", name="填写满意度问卷").click()
    second = phone.context.new_page()  # the same form open in another tab, sent after the first
    second.goto(survey.url)
    rate_star_by_star(phone, (5, 4, 4, 5))
    phone.get_by_label("意见和建议（选填）").fill("志愿者培训很到位，下次还来")
    assert fits_width(phone)
    screenshot(phone, "phone-survey-volunteer")
    phone.get_by_role("button", name="匿名提交").click()

    expect(phone.get_by_role("alert").first).to_contain_text("已匿名提交")
    expect(phone.get_by_test_id("answered")).to_be_visible()
    expect(phone.get_by_role("button", name="匿名提交")).to_have_count(0)
    rate_star_by_star(second, (1, 1, 1, 1))
    second.get_by_role("button", name="匿名提交").click()
    expect(second.get_by_role("alert").first).to_contain_text(
        "你已经提交过这份问卷，每人只能提交一次"
    )  # a 422
    assert errors == []

    world.close()
    phone.context.clear_cookies()  # an anonymous visitor on a phone, and one on a desktop
    visitor = desktop_page
    seen = watch_errors(visitor)
    for page, width in ((phone, 375), (visitor, 1280)):
        page.goto(world.project.url)
        expect(page.get_by_test_id("survey-counts")).to_contain_text("回收答卷 5 份")
        page.get_by_role("link", name="问卷结果详情").click()
        expect(page).to_have_url(re.compile(f"{survey.results_url}$"))
        see_results_chart(page, f"chart-survey-{width}")
    assert seen == [] and errors == []
