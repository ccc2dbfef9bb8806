"""The progress already published, on the host's console: edited or deleted for a short while after
posting (a run-time setting, 30 minutes by default), later corrected only by new posts; a deletion
leaves the audit entry with what the post said."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace import clock, settings, storage
from marketplace.audit import AuditEntry
from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.hosting.models import Photo, ProgressUpdate
from tests.hosting.test_progress_and_spending import phone_photo, progress_form
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import error_of, signed_in


@pytest.fixture
def world(app):
    return HostingWorld()


def post(world, **overrides) -> ProgressUpdate:
    data = {"milestone": "完成志愿者招募", "percent": 30, "body": "共招募 20 名志愿者。", **overrides}
    update = hosting.post_progress(world.host, world.project, data)
    db.session.commit()
    return update


def console(client, world) -> str:
    return client.get(f"/hosting/projects/{world.project.id}").get_data(as_text=True)


def post_section(page: str, update: ProgressUpdate) -> str:
    start = page.index(f'data-testid="post-{update.id}"')
    return page[start : page.index("</li>", start)]


def test_the_console_lists_the_published_progress_with_edit_and_delete_for_30_minutes(app, world):
    first = post(world, milestone="启动招募", percent=10)
    clock.shift(timedelta(minutes=40))
    latest = post(world, milestone="完成志愿者招募", percent=30)
    host = signed_in(app, world.host)

    page = console(host, world)
    listed = page[page.index('data-testid="posts"') :]
    assert listed.index("完成志愿者招募") < listed.index("启动招募")  # newest first
    assert f"/hosting/progress/{latest.id}/edit" in post_section(page, latest)
    assert f"/hosting/progress/{latest.id}/delete" in post_section(page, latest)
    assert "/hosting/progress/" not in post_section(page, first)  # posted 40 minutes ago

    clock.shift(timedelta(minutes=30))
    assert "/hosting/progress/" not in post_section(console(host, world), latest)


def test_the_host_corrects_a_post_within_the_window_and_the_timeline_shows_the_correction(app, world):
    update = post(world)
    clock.shift(timedelta(minutes=29))
    host = signed_in(app, world.host)
    prefix = f"p{update.id}-"
    refused = host.post(
        f"/hosting/progress/{update.id}/edit",
        data={prefix + "milestone": "完成志愿者招募", prefix + "percent": "130", prefix + "body": ""},
    )
    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), prefix + "percent")

    response = host.post(
        f"/hosting/progress/{update.id}/edit",
        data={
            prefix + "milestone": "完成志愿者招募",
            prefix + "percent": "35",
            prefix + "body": "共 24 名。",
        },
    )
    assert response.status_code == 302
    timeline = signed_in(app, None).get(f"/projects/{world.project.id}/timeline").get_data(as_text=True)
    assert "完成 35%" in timeline and "共 24 名。" in timeline and "共招募 20 名志愿者。" not in timeline
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hosting.progress_edit"))
    assert entry.before["percent"] == 30 and entry.after["percent"] == 35


def test_after_the_window_a_post_is_neither_edited_nor_deleted_corrections_are_new_posts(app, world):
    update = post(world)
    clock.shift(timedelta(minutes=30))
    host = signed_in(app, world.host)
    prefix = f"p{update.id}-"
    edited = host.post(
        f"/hosting/progress/{update.id}/edit",
        data={prefix + "milestone": "改过的阶段", prefix + "percent": "35", prefix + "body": ""},
    )
    assert edited.status_code == 422
    assert "请发布一条新的进展" in edited.get_data(as_text=True)
    deleted = host.post(f"/hosting/progress/{update.id}/delete", follow_redirects=True)
    assert "请发布一条新的进展" in deleted.get_data(as_text=True)
    db.session.expire_all()
    kept = db.session.get(ProgressUpdate, update.id)
    assert kept is not None and kept.milestone == "完成志愿者招募" and kept.percent == 30


def test_deleting_a_post_takes_it_and_its_photos_off_the_timeline_and_the_audit_keeps_what_it_said(
    app, world
):
    host = signed_in(app, world.host)
    host.post(
        f"/hosting/projects/{world.project.id}/progress",
        data=progress_form((io.BytesIO(phone_photo(400, 300)), "IMG_0002.jpg"), body="第一场讲座顺利举办。"),
        content_type="multipart/form-data",
    )
    update = db.session.scalar(select(ProgressUpdate))
    photo = db.session.scalar(select(Photo))
    stored = storage.backend().path(hosting.photo_key(photo.stored_name))
    photo_url = f"/photos/{photo.public_id}"
    assert stored.exists()

    response = host.post(f"/hosting/progress/{update.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(ProgressUpdate)) is None and db.session.scalar(select(Photo)) is None
    assert not stored.exists()
    assert signed_in(app, None).get(photo_url).status_code == 404
    timeline = signed_in(app, None).get(f"/projects/{world.project.id}/timeline").get_data(as_text=True)
    assert "第一场讲座顺利举办" not in timeline
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hosting.progress_delete"))
    assert entry.before == {
        "milestone": "完成志愿者招募",
        "percent": 30,
        "body": "第一场讲座顺利举办。",
        "photos": 1,
    }
    assert entry.actor_id == world.host.id and entry.project_id == world.project.id


def test_the_edit_window_is_a_run_time_setting(app, world, admin):
    settings.put("progress_edit_minutes", 10, admin)
    db.session.commit()
    update = post(world)
    clock.shift(timedelta(minutes=11))
    with pytest.raises(DomainError, match="超过 10 分钟"):
        hosting.delete_progress(world.host, update)
    assert "/hosting/progress/" not in console(signed_in(app, world.host), world)


def test_only_the_host_edits_or_deletes_a_post(app, world):
    update = post(world)
    for outsider in (world.manager_b, world.staff, world.students(1)[0]):
        client = signed_in(app, outsider)
        assert client.post(f"/hosting/progress/{update.id}/delete").status_code == 403
        assert client.post(f"/hosting/progress/{update.id}/edit", data={}).status_code == 403
    assert db.session.get(ProgressUpdate, update.id) is not None
