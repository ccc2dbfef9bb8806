"""In a real browser: on a phone the host posts progress and corrects it on the console while the edit
window is open, after which the post stands; on a desktop the host enters a 补登 shift, registers who
took part by 学号 and confirms, and the verifier sees the 补登 mark on the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace import clock
from marketplace.timeutil import SCHOOL_TZ
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.volunteers.helpers import HostingWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect


def local(moment) -> str:
    return moment.astimezone(SCHOOL_TZ).strftime("%Y-%m-%dT%H:%M")


def test_on_a_phone_the_host_corrects_a_progress_post_within_its_window_and_then_it_stands(phone_page):
    world = HostingWorld()
    page = phone_page
    errors = watch_errors(page)
    sign_in(page, world.host)
    page.goto(f"/hosting/projects/{world.project.id}")
    progress = page.locator("#progress")
    progress.get_by_label("阶段").fill("完成志愿者招募")
    progress.get_by_label("完成度（%）").fill("30")
    progress.get_by_label("进展说明").fill("共招募 20 名志愿者。")
    progress.get_by_role("button", name="发布").click()
    expect(page.get_by_role("alert")).to_contain_text("进展已发布")

    post = page.get_by_test_id("posts").locator("li").first
    expect(post).to_contain_text("完成志愿者招募")
    expect(post).to_contain_text("完成 30%")
    post.locator("summary").click()
    post.get_by_label("完成度（%）").fill("35")
    post.get_by_label("进展说明").fill("共招募 24 名志愿者。")
    assert fits_width(page)
    screenshot(page, "phone-console-progress-edit")
    post.get_by_role("button", name="保存修改").click()
    expect(page.get_by_role("alert")).to_contain_text("进展已修改")
    post = page.get_by_test_id("posts").locator("li").first
    expect(post).to_contain_text("完成 35%")
    expect(post).to_contain_text("共招募 24 名志愿者。")
    expect(post.get_by_role("button", name="删除")).to_be_visible()

    clock.shift(timedelta(minutes=31))
    page.reload()
    post = page.get_by_test_id("posts").locator("li").first
    expect(post).to_contain_text("共招募 24 名志愿者。")
    expect(post.get_by_role("button", name="删除")).to_have_count(0)
    expect(post.locator("summary")).to_have_count(0)
    assert fits_width(page)
    assert errors == []


def test_the_host_enters_a_backfill_shift_by_student_number_and_the_verifier_sees_the_mark(
    desktop_page,
):
    world = HostingWorld()
    position = world.position(title="社区义诊")
    helpers = world.students(2)
    page = desktop_page
    errors = watch_errors(page)
    sign_in(page, world.host)

    starts = clock.now() - timedelta(days=1)
    page.goto(f"/hosting/positions/{position.id}/shifts/new")
    page.get_by_label("开始时间").fill(local(starts))
    page.get_by_label("结束时间").fill(local(starts + timedelta(hours=3)))
    page.get_by_label("地点").fill("阳光社区活动室")
    page.get_by_label("招募人数").fill("5")
    page.get_by_label("认定时长（小时）").fill("3")
    page.get_by_role("button", name="保存班次").click()
    expect(page.get_by_role("alert")).to_contain_text("补登班次已创建")
    expect(page.get_by_test_id("backfill")).to_have_text("补登班次")
    expect(page.get_by_role("link", name="显示签到码")).to_have_count(0)

    register = page.locator("#register")
    register.get_by_label("参加的同学学号").fill("\n".join(s.student_no for s in helpers))
    register.get_by_label("登记依据").fill("现场纸质签到表")
    register.get_by_role("button", name="登记").click()
    expect(page.get_by_role("alert")).to_contain_text("已登记 2 名同学")
    accepted = page.get_by_test_id("accepted")
    for student in helpers:
        expect(accepted).to_contain_text(student.name)
    assert fits_width(page)
    screenshot(page, "desktop-backfill-roster")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认考勤").click()
    expect(page.get_by_test_id("confirmed")).to_contain_text("考勤已于")
    expect(accepted).to_contain_text("3.0")

    sign_in(page, world.reviewer)
    page.goto("/credits/verify")
    records = page.get_by_test_id("queue-record")
    expect(records).to_have_count(2)
    for n in range(2):
        expect(records.nth(n).get_by_test_id("backfill")).to_have_text("补登")
    assert errors == []
