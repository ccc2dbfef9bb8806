"""In a real browser, on a phone: a student who came to an event scans the host's participant QR code
before logging in and is checked in after the login; when the project enters 评价中 the student rates
it star by star and submits — and the page says, before the button, that the answer cannot be seen or
changed afterwards."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.surveys import operations as surveys
from tests import factories
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.surveys.helpers import REPORT
from tests.volunteers.helpers import HostingWorld

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect
FILLED = "\uf586"  # bi-star-fill's glyph; an empty star is bi-star's


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
