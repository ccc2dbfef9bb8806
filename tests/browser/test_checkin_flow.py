"""In a real browser, on a phone: a student signs up for a shift; at the shift the host's page shows the
rotating code, the student checks in with it on the phone and later checks out, and the host confirms
the attendance."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from marketplace import clock
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.volunteers.helpers import HostingWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect
SIX_DIGITS = re.compile(r"^\d{6}$")


def current_code(page, shift) -> str:
    page.goto(f"/hosting/shifts/{shift.id}/code")
    code = page.get_by_test_id("code")
    expect(code).to_have_text(SIX_DIGITS)
    return code.inner_text()


def check_with(page, shift, code: str, button: str) -> None:
    page.goto(f"/checkin/{shift.id}")
    page.get_by_label("签到码").fill(code)
    page.get_by_role("button", name=button, exact=True).click()


def test_a_student_signs_up_checks_in_and_out_on_a_phone_and_the_host_confirms(phone_page, desktop_page):
    world = HostingWorld()
    shift = world.shift(world.position(title="迎新志愿者"), capacity=2, hours=2, credit_hours="2")
    student = world.students(1, name="林小雨")[0]
    phone, desk = phone_page, desktop_page
    phone_errors, desk_errors = watch_errors(phone), watch_errors(desk)

    sign_in(phone, student)
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("link", name="志愿", exact=True).click()
    card = phone.get_by_test_id(f"shift-{shift.id}")
    expect(card).to_contain_text("迎新志愿者")
    assert fits_width(phone)
    card.get_by_role("button", name="报名").click()
    expect(phone.get_by_role("alert")).to_contain_text("报名成功，你已被录用")
    expect(phone.get_by_test_id("status")).to_have_text("已录用")

    clock.set(shift.starts_at - timedelta(minutes=2))
    sign_in(desk, world.host)
    code = current_code(desk, shift)
    check_with(phone, shift, code, "签到")
    expect(phone.get_by_role("alert")).to_contain_text("签到成功")
    assert fits_width(phone)
    screenshot(phone, "phone-checkin")

    clock.shift(timedelta(hours=2, minutes=5))
    code = current_code(desk, shift)
    expect(desk.get_by_test_id("counts")).to_contain_text("已签到 1 人")
    check_with(phone, shift, code, "签退")
    expect(phone.get_by_role("alert")).to_contain_text("签退成功")

    clock.shift(timedelta(minutes=10))
    desk.goto(f"/hosting/shifts/{shift.id}/roster")
    expect(desk.get_by_test_id("accepted")).to_contain_text("林小雨")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="确认考勤").click()
    expect(desk.get_by_test_id("confirmed")).to_contain_text("考勤已于")
    expect(desk.get_by_test_id("accepted")).to_contain_text("2.0")
    assert phone_errors == [] and desk_errors == []
