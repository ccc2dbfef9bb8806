"""In a real browser: claiming an account on a phone, and the notification centre on a desktop."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import SiteRole
from marketplace.extensions import db
from marketplace.notify import operations as notify
from tests import factories
from tests.browser.live import draws_chinese, fits_width, screenshot, sync_api_or_skip, watch_errors
from tests.notify import outbox

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect

PASSWORD = "chun-tian-2026"


def test_a_student_claims_the_roster_row_on_a_phone_verifies_the_email_and_logs_in(phone_page):
    page = phone_page
    errors = watch_errors(page)
    student = factories.user(claimed=False, verified=False, name="韩梅梅")

    page.goto("/")
    page.get_by_role("link", name="第一次使用？认领账号").click()
    page.get_by_label("学号", exact=True).fill(student.student_no)
    page.get_by_label("姓名", exact=True).fill("韩梅梅")
    page.get_by_label("邮箱", exact=True).fill("hanmeimei@stu.example.edu.cn")
    page.get_by_label("新密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入新密码", exact=True).fill(PASSWORD)
    assert fits_width(page)
    screenshot(page, "phone-claim")
    page.get_by_role("button", name="认领并发送验证邮件").click()
    expect(page.get_by_test_id("check-mail")).to_contain_text("hanmeimei@stu.example.edu.cn")

    page.goto(outbox.last_link("account.verify_email", to="hanmeimei@stu.example.edu.cn"))
    expect(page.get_by_role("alert")).to_contain_text("邮箱验证成功")
    page.get_by_label("学号 / 工号 / 邮箱").fill(student.student_no)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    greeting = page.get_by_role("heading", name="你好，韩梅梅")
    expect(greeting).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert draws_chinese(greeting), (
        "Chinese text is drawn as missing-glyph boxes: is fonts-noto-cjk installed?"
    )
    assert fits_width(page)
    screenshot(page, "phone-home")
    assert errors == []


def test_the_phone_menu_opens_with_the_bundled_script(phone_page):
    page = phone_page
    errors = watch_errors(page)
    factories.user(name="李雷", number="2024000777")
    page.goto("/login")
    page.get_by_label("学号 / 工号 / 邮箱").fill("2024000777")
    page.get_by_label("密码", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="登录").click()
    # The signed-in page, scripts and all: a click on the login page's menu as it navigated away was lost.
    page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("load")

    page.get_by_role("button", name="菜单").click()
    # The menu slides open; a click inside it before it has settled was lost on a loaded machine.
    expect(page.locator("#mainnav.collapse.show")).to_be_visible()
    page.get_by_role("button", name="李雷").click()

    expect(page.get_by_role("link", name="个人资料", exact=True)).to_be_visible()
    assert errors == []


def test_a_desktop_user_opens_an_unread_notification_from_the_nav(desktop_page, live_url):
    page = desktop_page
    errors = watch_errors(page)
    student = factories.user(name="李雷", number="2024000888")
    notify.send(student, "role.granted", link="/account", role=SiteRole.EVALUATOR)
    db.session.commit()

    page.goto("/login")
    page.get_by_label("学号 / 工号 / 邮箱").fill("2024000888")
    page.get_by_label("密码", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("unread-count")).to_have_text("1")

    page.get_by_test_id("unread-count").click()
    page.get_by_role("button", name="你获得了新的角色：评议人").click()

    expect(page).to_have_url(f"{live_url}/account")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    screenshot(page, "desktop-profile")
    assert errors == []
