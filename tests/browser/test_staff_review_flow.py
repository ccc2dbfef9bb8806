"""In a real browser, on a phone: a student opens the list of union staff to rate, reads a staff
member's 述职 report, rates them star by star and submits; the staff member leaves the list, and the
page fits the phone's width."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from marketplace.staff_review import operations
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.browser.test_survey_flow import rate_star_by_star
from tests.staff_review.helpers import StaffWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect


def test_a_student_rates_a_union_staff_member_star_by_star_on_a_phone(phone_page):
    world = StaffWorld(staff=2)
    review = world.open()
    target = world.reviewee(review, world.staff[1])
    operations.save_report(world.staff[1], target, {"report": "## 本学期工作\n- 组织迎新志愿服务"})
    db.session.commit()
    phone = phone_page
    errors = watch_errors(phone)

    sign_in(phone, world.undergraduate_a)
    phone.goto(f"/staff-reviews/{review.id}/rate")
    expect(phone.get_by_test_id("waiting")).to_contain_text(world.staff[1].name)
    phone.get_by_role("link", name=f"评价{world.staff[1].name}").click()
    phone.get_by_text("述职报告", exact=True).click()
    expect(phone.get_by_text("组织迎新志愿服务")).to_be_visible()
    rate_star_by_star(phone, (5, 4, 4, 5))
    assert fits_width(phone)
    screenshot(phone, "phone-staff-rating")
    phone.get_by_role("button", name="匿名提交").click()

    expect(phone.get_by_role("alert").first).to_contain_text("已匿名提交")
    expect(phone.get_by_test_id("waiting")).not_to_contain_text(world.staff[1].name)
    assert fits_width(phone)
    assert errors == []


LABELS = (
    "window.echarts.getInstanceByDom(document.getElementById('staff-chart')).getOption().xAxis[0].axisLabel"
)


def test_the_leagues_chart_of_thirty_staff_draws_on_a_phone_with_every_name_upright(phone_page):
    world = StaffWorld(staff=30)
    review = world.open()
    for student in world.students(5):
        for staff in world.staff:
            world.rate(review, student, staff, 4)
    world.close(review)
    phone = phone_page
    errors = watch_errors(phone)

    sign_in(phone, world.reviewer)
    phone.goto(f"/staff-reviews/{review.id}/results")

    expect(phone.locator("#staff-chart canvas")).to_have_count(1)
    labels = phone.evaluate(LABELS)
    assert labels["rotate"] == 90 and labels["interval"] == 0  # thirty names, none dropped
    assert fits_width(phone)
    screenshot(phone, "phone-staff-review-results-chart")
    assert errors == []
