"""In a real browser, on a phone: a student posts a need through the form, another finds it in the
pool and supports it; the count goes up once, the button becomes "你已支持", nobody's name shows, and
every page fits the phone's width."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.needs.models import Need
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.needs.helpers import NeedWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect


def test_a_student_posts_a_need_and_another_supports_it_on_a_phone(browser, live_url, phone_page):
    world = NeedWorld()
    phone = phone_page
    errors = watch_errors(phone)

    sign_in(phone, world.author)
    phone.goto("/needs")
    phone.get_by_role("link", name="提需求").click()
    phone.get_by_label("标题").fill("东区宿舍楼没有自助洗衣机")
    phone.get_by_label("类别").select_option("生活服务")
    phone.get_by_label("详细描述").fill("东区 3 栋、4 栋都没有洗衣机，要走 15 分钟去西区。")
    assert fits_width(phone)
    screenshot(phone, "phone-need-post")
    phone.get_by_role("button", name="发布需求").click()
    expect(phone.get_by_role("alert").first).to_contain_text("需求已发布")
    expect(phone.get_by_test_id("own")).to_be_visible()
    need = db.session.scalars(select(Need)).one()

    other = browser.new_context(
        base_url=live_url,
        locale="zh-CN",
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    supporter = other.new_page()
    other_errors = watch_errors(supporter)
    sign_in(supporter, world.students[0])
    supporter.goto("/needs?sort=recent")
    supporter.get_by_role("link", name="东区宿舍楼没有自助洗衣机").click()
    expect(supporter.get_by_test_id("support-count")).to_contain_text("0 人支持")
    supporter.get_by_role("button", name="我也需要（支持）").click()

    expect(supporter.get_by_test_id("support-count")).to_contain_text("1 人支持")
    expect(supporter.get_by_test_id("supported")).to_be_visible()
    expect(supporter.get_by_role("button", name="我也需要（支持）")).to_have_count(0)
    expect(supporter.locator("main")).not_to_contain_text(world.author.name)
    assert fits_width(supporter)
    screenshot(supporter, "phone-need-supported")
    db.session.refresh(need)
    assert need.support_count == 1
    other.close()
    assert errors == [] and other_errors == []
