"""In a real browser: a file over the limit is refused beside the field before anything is sent, so the
form and what was typed stay as they were; a file within the limit goes through."""

from __future__ import annotations

import re

import pytest

from marketplace import settings
from marketplace.bids.models import BidAttachment
from marketplace.extensions import db
from tests.bids.helpers import PDF
from tests.browser.live import sign_in, sync_api_or_skip, watch_errors
from tests.projects.helpers import World

pytestmark = pytest.mark.browser
expect = sync_api_or_skip().expect
MB = 1024 * 1024


def test_a_file_over_the_limit_is_refused_beside_the_field_without_sending_the_form(desktop_page):
    world = World()
    bid = world.bid(world.open_project())
    settings.put("attachment_max_mb", 1, None)
    db.session.commit()
    page = desktop_page
    errors = watch_errors(page)
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)

    sign_in(page, world.manager_a)
    page.goto(bid.url)
    expect(page.get_by_text("一次一个文件，不超过 1 MB")).to_be_visible()
    posts.clear()
    chooser = page.get_by_label("上传附件")
    chooser.set_input_files(
        {"name": "方案全文.pdf", "mimeType": "application/pdf", "buffer": PDF + bytes(3 * MB // 2)}
    )
    expect(page.get_by_test_id("upload-too-large")).to_have_text(
        "“方案全文.pdf”有 1.5 MB，超过了每个文件 1 MB 的上限。"
    )
    page.get_by_role("button", name=re.compile("上传$")).click()  # after the icon's glyph

    expect(chooser).to_be_focused()
    assert posts == []
    assert page.url.endswith(bid.url)

    chooser.set_input_files({"name": "方案摘要.pdf", "mimeType": "application/pdf", "buffer": PDF})
    expect(page.get_by_test_id("upload-too-large")).to_have_count(0)
    page.get_by_role("button", name=re.compile("上传$")).click()  # after the icon's glyph
    expect(page.get_by_role("alert")).to_contain_text("已上传附件「方案摘要.pdf」")
    assert db.session.scalar(db.select(db.func.count()).select_from(BidAttachment)) == 1
    assert errors == []
