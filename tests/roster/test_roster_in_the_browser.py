"""In a real browser on a phone: an admin uploads a roster, reads the preview, confirms, and sees the
result; a file with a bad row shows its errors table. Nothing sticks out at 375 px."""

from __future__ import annotations

import pytest

from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.roster.roster_files import student, xlsx

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect


def test_an_admin_imports_a_roster_on_a_phone(phone_page, admin, school, tmp_path):
    page = phone_page
    errors = watch_errors(page)
    good = tmp_path / "计算机学院名册.xlsx"
    good.write_bytes(
        xlsx(
            [
                student("2024010001", "张三", 组织="摄影社", 开始日期="2025-09-01"),
                student("2024010002", "李四"),
            ]
        )
    )
    bad = tmp_path / "有问题的名册.xlsx"
    bad.write_bytes(xlsx([student("2024010003", "王五", 手机="12345")]))
    sign_in(page, admin)

    page.goto("/admin/imports/new")
    assert fits_width(page)
    screenshot(page, "phone-roster-upload")
    page.get_by_label("名册文件").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("errors")).to_contain_text("手机号应为以 1 开头的 11 位数字。")
    assert fits_width(page)
    screenshot(page, "phone-roster-errors")

    page.get_by_role("link", name="重新上传").click()
    page.get_by_label("名册文件").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("users-created")).to_have_text("2")
    expect(page.get_by_test_id("preview")).to_contain_text("张三")
    assert fits_width(page)
    screenshot(page, "phone-roster-preview")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认导入").click()

    expect(page.get_by_test_id("job-status")).to_have_text("已导入")
    assert fits_width(page)
    page.goto("/admin/imports/")
    expect(page.get_by_test_id("imports")).to_contain_text("计算机学院名册.xlsx")
    assert fits_width(page)
    screenshot(page, "phone-roster-list")
    assert errors == []
