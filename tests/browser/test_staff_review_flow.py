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
