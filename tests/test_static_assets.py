"""Static files carry a version in their URL and are cached for a year; unversioned URLs are
revalidated, and downloads keep their own caching."""

from __future__ import annotations

import os
import re


def test_every_static_link_on_a_page_carries_its_files_version(client):
    page = client.get("/login").get_data(as_text=True)

    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)

    assert links and all(re.search(r"\?v=[0-9a-f]{10}$", link) for link in links), links


def test_a_versioned_static_file_is_kept_for_a_year_and_an_unversioned_one_is_revalidated(client):
    page = client.get("/login").get_data(as_text=True)
    versioned = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page).group(1)

    kept = client.get(versioned)
    asked_again = client.get("/static/css/app.css")

    assert kept.status_code == 200 and kept.cache_control.max_age == 365 * 24 * 3600
    assert asked_again.status_code == 200 and asked_again.cache_control.max_age is None
    assert asked_again.cache_control.no_cache


def test_a_changed_file_gets_a_new_version(app, tmp_path, monkeypatch):
    from flask import url_for

    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    asset = tmp_path / "site.css"
    asset.write_text("body { color: black; }")
    with app.test_request_context():
        before = url_for("static", filename="site.css")
        asset.write_text("body { color: navy; }")
        later = asset.stat().st_mtime_ns + 1_000_000_000  # whatever the file system's clock resolution
        os.utime(asset, ns=(later, later))
        after = url_for("static", filename="site.css")

    assert before != after and before.startswith("/static/site.css?v=")


def test_a_remembered_link_follows_the_script_root_the_site_is_served_under(app):
    # The layout's links are built once per process, and a site may be reached under a prefix
    # (behind a proxy at /jiebang) and without one.
    from flask import url_for

    for root in ("/jiebang", "", "/jiebang"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            assert url_for("main.index") == f"{root}/"
            assert url_for("static", filename="css/app.css").startswith(f"{root}/static/css/app.css?v=")
            assert url_for("projects.show", project_id=7) == f"{root}/projects/7"
