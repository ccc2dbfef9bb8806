"""Signing in on a client of one's own, filling in the bid form, and files to upload."""

from __future__ import annotations

import io
import re
import zipfile

from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def zipped(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = zipped(["[Content_Types].xml", "word/document.xml"])
PLAIN_ZIP = zipped(["readme.txt"])


def signed_in(app, user):
    """A client of its own (its own cookies), signed in as ``user``; None signs in nobody."""
    client = app.test_client()
    if user is not None:
        factories.login(client, user)
    return client


def bid_form(**overrides) -> dict:
    data = {
        "summary": "由学业互助社承办，20 名志愿者辅导。",
        "plan": "### 方案\n每周二、四晚上在图书馆答疑。",
        "requested_budget": "4000",
        "timeline": "第 1 周招募，第 2-10 周辅导",
        "expected_volunteers": "20",
    }
    data.update(overrides)
    return data


def version_on(page: str) -> str:
    """The hidden version of the bid form on a rendered page ("" for a new bid)."""
    found = re.search(r'name="version" type="hidden" value="([^"]*)"', page)
    assert found, "no version field on the page"
    return found.group(1)


def upload(client, bid, filename: str, data: bytes):
    return client.post(
        f"/bids/{bid.public_id}/attachments",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
