"""Upload limits, said before and after: every file field tells its limit (in its help text, and to the
browser's check in static/js/upload-limit.js), and a request over the limit gets a page that says the
limit and leads back to the form."""

from __future__ import annotations

import io
import re

import pytest

from marketplace import settings
from marketplace.extensions import db
from tests.bids.helpers import PDF, signed_in
from tests.projects.helpers import World

MB = 1024 * 1024


@pytest.fixture
def bid(app):
    world = World()
    return world, world.bid(world.open_project())


def test_the_attachment_field_tells_its_limit_to_the_reader_and_to_the_browser(app, bid):
    world, bid = bid
    settings.put("attachment_max_mb", 5, None)
    db.session.commit()

    page = signed_in(app, world.manager_a).get(bid.url).get_data(as_text=True)

    field = re.search(r'<input[^>]*type="file"[^>]*>', page).group(0)
    assert f'data-max-bytes="{5 * MB}"' in field and f'data-max-total-bytes="{32 * MB}"' in field
    assert "超过了每个文件 5 MB 的上限" in field
    assert "一次一个文件，不超过 5 MB" in page
    assert "/static/js/upload-limit.js" in page


def test_a_per_file_limit_above_the_request_limit_is_told_as_the_request_limit(app, bid):
    world, bid = bid
    settings.put("attachment_max_mb", 100, None)
    db.session.commit()

    page = signed_in(app, world.manager_a).get(bid.url).get_data(as_text=True)

    assert f'data-max-bytes="{32 * MB}"' in page and "一次一个文件，不超过 32 MB" in page


def test_a_request_over_the_limit_says_the_limit_in_mb_and_leads_back_to_the_form(app, bid, monkeypatch):
    world, bid = bid
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * MB)
    client = signed_in(app, world.manager_a)

    response = client.post(
        f"/bids/{bid.public_id}/attachments",
        data={"file": (io.BytesIO(PDF + bytes(3 * MB)), "方案全文.pdf")},
        content_type="multipart/form-data",
        headers={"Referer": f"http://localhost{bid.url}?tab=files"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "上传的内容超过了 2 MB 的上限" in page
    back = re.search(r'<a [^>]*data-testid="back"[^>]*>', page).group(0)
    assert f'href="{bid.url}?tab=files"' in back and "data-back" in back


@pytest.mark.parametrize(
    "referrer", [None, "https://elsewhere.example/bids/x", "http://localhost//evil.example/"]
)
def test_the_way_back_is_offered_only_to_a_page_of_this_site(app, bid, monkeypatch, referrer):
    world, bid = bid
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * MB)

    response = signed_in(app, world.manager_a).post(
        f"/bids/{bid.public_id}/attachments",
        data={"file": (io.BytesIO(PDF + bytes(3 * MB)), "方案全文.pdf")},
        content_type="multipart/form-data",
        headers={"Referer": referrer} if referrer else {},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert 'data-testid="back"' not in page and "返回首页" in page
