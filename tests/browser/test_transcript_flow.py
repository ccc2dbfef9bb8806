"""In a real browser on a phone: the league reviewer verifies a volunteer's hours, the student opens the
transcript and downloads the PDF, and the verification page opened with the PDF's code says genuine."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from tests.browser.live import fits_width, screenshot, sign_in, sync_api_or_skip, watch_errors
from tests.credits.helpers import CreditWorld, pdf_text, unembedded_fonts

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect
CODE = re.compile(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){3}")


def test_the_reviewer_verifies_the_student_downloads_the_pdf_and_its_code_checks_out(phone_page, tmp_path):
    world = CreditWorld()
    student = world.volunteers[0]
    student.name = "张小三"
    db.session.commit()
    page = phone_page
    errors = watch_errors(page)

    sign_in(page, world.reviewer)
    page.get_by_role("link", name="学分审核").click()
    expect(page.get_by_test_id("queue-record")).to_have_count(2)
    assert fits_width(page)
    screenshot(page, "phone-credit-queue")
    page.get_by_label("张小三").check()
    page.get_by_role("button", name="批量认定").click()
    expect(page.get_by_role("alert")).to_contain_text("已认定 1 条记录")
    expect(page.get_by_test_id("queue-record")).to_have_count(1)

    sign_in(page, student)
    page.get_by_role("link", name="我的成绩单").click()
    expect(page.get_by_test_id("record-status")).to_have_text("已认定")
    expect(page.get_by_test_id("totals")).to_contain_text("志愿公益")
    assert fits_width(page)
    screenshot(page, "phone-transcript")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    saved = tmp_path / "transcript.pdf"
    download.value.save_as(saved)
    data = saved.read_bytes()
    text = pdf_text(data)
    code = CODE.search(text).group(0)
    assert "张小三" in text and unembedded_fonts(data) == []

    page.reload()
    expect(page.get_by_test_id("last-code")).to_contain_text(code)

    page.context.clear_cookies()  # whoever checks the transcript is not signed in
    page.goto(f"/verify/{code}")
    expect(page.get_by_test_id("verdict")).to_contain_text("真实有效")
    expect(page.get_by_test_id("masked-name")).to_have_text("张*三")
    assert "张小三" not in page.content()
    assert fits_width(page)
    screenshot(page, "phone-transcript-verified")
    assert errors == []
