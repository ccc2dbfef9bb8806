"""The bulk download: built by the periodic task through the storage interface, free of anything
personal or sealed, and dated by its content's last change, not by its last build."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.opendata import bulk
from marketplace.opendata.tasks import build_periodically
from marketplace.orgs.models import OrgKind
from tests import factories
from tests.opendata.helpers import SECRET_PLAN, S


def _download(client) -> dict[str, str]:
    response = client.get("/open-data/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_the_bulk_download_holds_no_ones_name_phone_number_email_nor_any_bid_text(client, world):
    build_periodically()
    files = _download(client)
    assert set(files) == {"releases.json", *bulk.TABLES}
    personal = [
        value
        for user in db.session.scalars(select(User))
        for value in (user.name, user.phone, user.student_no, user.staff_no, user.email)
        if value
    ]
    assert len(personal) > 40  # the scene's people, each with a name, phone, number and email
    for name, text in files.items():
        leaked = [value for value in (*personal, SECRET_PLAN, "打印资料") if value in text]
        assert not leaked, (name, leaked)
    assert world.club_a.name in files["releases.json"]  # organizations are named


def test_the_bulk_download_holds_every_published_project_and_its_tables(client, world):
    build_periodically()
    files = _download(client)
    releases = json.loads(files["releases.json"])["releases"]
    published = {p.id for state, p in world.projects.items() if state not in (S.DRAFT, S.PENDING_APPROVAL)}
    assert {r["ocid"] for r in releases} == {f"jiebang-{i}" for i in published}
    projects = list(csv.DictReader(io.StringIO(files["projects.csv"])))
    by_ocid = {row["ocid"]: row for row in projects}
    assert by_ocid[f"jiebang-{world.projects[S.OPEN].id}"]["tender.numberOfTenderers"] == ""
    assert by_ocid[f"jiebang-{world.projects[S.REVIEWING].id}"]["tender.numberOfTenderers"] == "2"
    implementation = list(csv.DictReader(io.StringIO(files["implementation.csv"])))
    assert len(implementation) == 3 and {
        row["contracts.implementation.spendingTotal.amount"] for row in implementation
    } == {"320.5"}


def test_a_build_with_nothing_changed_keeps_the_last_updated_time_and_a_change_moves_it(client, world, clock):
    first = bulk.build()
    assert first.changed
    clock.shift(timedelta(hours=1))
    again = bulk.build()
    assert not again.changed and again.updated_at == first.updated_at

    world.projects[S.OPEN].title = "改了名字的项目"
    db.session.commit()
    clock.shift(timedelta(hours=1))
    changed = bulk.build()
    assert changed.changed and changed.updated_at > first.updated_at


def test_the_index_links_the_download_and_each_published_project(client, world):
    page = client.get("/open-data").get_data(as_text=True)
    assert "批量下载尚未生成" in page and client.get("/open-data/download").status_code == 404
    bulk.build()
    page = client.get("/open-data").get_data(as_text=True)
    assert 'data-testid="bulk-download"' in page
    assert f"/open-data/projects/{world.projects[S.OPEN].id}.json" in page
    assert f"/open-data/projects/{world.projects[S.DRAFT].id}.json" not in page


def test_the_build_command_reports_progress_and_whether_anything_changed(app, world):
    runner = CliRunner()
    result = runner.invoke(app.cli, ["open-data", "build"], catch_exceptions=False)
    assert "已重新生成：8 个项目" in result.output
    result = runner.invoke(app.cli, ["open-data", "build"], catch_exceptions=False)
    assert "内容没有变化" in result.output


def test_a_bid_before_the_deadline_does_not_move_the_last_updated_time(world, clock):
    first = bulk.build()
    club = factories.org(OrgKind.CLUB, name="新来的社团")
    world.bid(world.projects[S.OPEN], factories.manager_of(club), club)
    db.session.commit()
    clock.shift(timedelta(hours=1))

    again = bulk.build()

    assert not again.changed and again.updated_at == first.updated_at
