"""One Content-Disposition for every download: a readable ASCII name beside the UTF-8 one."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Response

import marketplace
from marketplace.downloads import disposition as make_disposition
from tests.downloads import disposition


def _read(value: str):
    return disposition(Response(headers={"Content-Disposition": value}))


def test_a_chinese_name_travels_as_utf8_beside_the_named_ascii_fallback():
    value = make_disposition("第二课堂成绩单-张三-2026-11-26.pdf", "transcript-2024001-2026-11-26.pdf")
    assert value.startswith("attachment; filename=transcript-2024001-2026-11-26.pdf; filename*=UTF-8''")
    assert _read(value).name == "第二课堂成绩单-张三-2026-11-26.pdf"


def test_an_ascii_name_needs_no_utf8_twin():
    assert make_disposition("photo-x1.jpg", "photo-x1.jpg", inline=True) == "inline; filename=photo-x1.jpg"


def test_the_fallback_is_cleaned_to_safe_ascii_whatever_it_is_made_of():
    read = _read(make_disposition("名单.xlsx", 'volunteers "a"/b-张.xlsx'))
    assert read.fallback == "volunteers_a_b-.xlsx" and read.name == "名单.xlsx"


def test_every_download_is_named_by_the_one_helper():
    root = Path(marketplace.__file__).parent
    elsewhere = [
        f"{path.relative_to(root)}: {word}"
        for path in root.rglob("*.py")
        if path.name != "downloads.py"
        for word in ("send_file", "Content-Disposition", "download_name", "as_attachment")
        # Whole words: Flask's get_send_file_max_age (static_assets.py) names no download.
        if re.search(rf"\b{re.escape(word)}\b", path.read_text(encoding="utf-8"))
    ]
    assert elsewhere == []
