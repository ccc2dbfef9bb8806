"""In a real browser: a hosted project with volunteers is cancelled — the union's staff ask, the league
reviewer approves — and on her phone an accepted volunteer finds the shift called off (no check-in
prompt, nothing to cancel or take leave from) and the notification that says so."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.volunteers.helpers import HostingWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect


def test_staff_ask_the_league_approves_and_the_volunteer_sees_the_shift_called_off_on_a_phone(
    phone_page, desktop_page
):
    world = HostingWorld(bids=True)
    shift = world.shift(world.position(title="迎新志愿者"), capacity=2, starts_in=timedelta(days=3))
    student = world.students(1, name="林小雨")[0]
    world.sign_up(student, shift)
    phone, desk = phone_page, desktop_page
    phone_errors, desk_errors = watch_errors(phone), watch_errors(desk)

    sign_in(phone, student)
    phone.goto(shift.url)
    expect(phone.get_by_test_id("status")).to_have_text("已录用")
    expect(phone.get_by_test_id("my-signup")).to_contain_text("扫描现场二维码签到")

    sign_in(desk, world.staff)
    desk.goto(world.project.url)
    desk.get_by_text("申请取消项目").click()
    desk.get_by_label("取消理由").fill("场地被学校收回，活动无法举办")
    desk.get_by_role("button", name="提交申请").click()
    expect(desk.get_by_role("alert")).to_contain_text("取消申请已提交")

    sign_in(desk, world.reviewer)
    desk.goto("/notifications/")
    expect(desk.get_by_test_id("notifications")).to_contain_text("项目申请取消")
    desk.goto("/review/approvals")
    requests = desk.get_by_test_id("cancel-requests")
    expect(requests).to_contain_text("场地被学校收回")
    desk.once("dialog", lambda dialog: dialog.accept())
    requests.get_by_role("button", name="批准取消").click()
    expect(desk.get_by_role("alert")).to_contain_text("已批准取消")

    phone.goto(shift.url)
    mine = phone.get_by_test_id("my-signup")
    expect(phone.get_by_test_id("status")).to_have_text("项目已取消")
    expect(mine).to_contain_text("不计缺勤")
    expect(mine).not_to_contain_text("签到")
    expect(mine.get_by_role("button")).to_have_count(0)  # nothing to cancel, confirm or take leave from
    expect(phone.get_by_test_id("project-cancelled-notice")).to_contain_text("场地被学校收回")
    assert fits_width(phone)
    screenshot(phone, "phone-shift-called-off")

    phone.get_by_role("link", name="通知").first.click()
    expect(phone.get_by_test_id("notifications")).to_contain_text("志愿项目已取消")
    expect(phone.get_by_test_id("notifications")).to_contain_text("迎新志愿者")
    assert fits_width(phone)
    assert phone_errors == [] and desk_errors == []
