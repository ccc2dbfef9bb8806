"""In a real browser, on a 375 px phone: a student signs up for a shift from the home page (待办), and
the page fits the screen before and after."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.volunteers.helpers import HostingWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect


def test_a_student_signs_up_for_a_shift_from_the_home_page_on_a_phone(phone_page):
    world = HostingWorld()
    world.shift(world.position(title="迎新志愿者"), capacity=2, starts_in=timedelta(days=2))
    student = world.students(1, name="林小雨")[0]
    page = phone_page
    errors = watch_errors(page)

    sign_in(page, student)
    shifts = page.get_by_test_id("open-shifts")
    expect(shifts).to_contain_text("迎新志愿者")
    assert fits_width(page)
    screenshot(page, "phone-home-student")
    shifts.get_by_role("button", name="报名").click()
    expect(page.get_by_role("alert")).to_contain_text("报名成功，你已被录用")

    page.goto("/")
    expect(page.get_by_test_id("next-shift")).to_contain_text("迎新志愿者")
    expect(page.get_by_test_id("open-shifts")).to_have_count(0)
    assert fits_width(page)
    assert errors == []
