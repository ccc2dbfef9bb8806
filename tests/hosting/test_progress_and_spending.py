"""Progress and spending through the host's console: phone photos lose their location data and shrink,
a non-image is refused with the reason, overspending needs a reason (and tells the staff), and the
public timeline shows it all without a login."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from marketplace import clock, storage
from marketplace.extensions import db
from marketplace.hosting.models import Expenditure, Photo
from marketplace.hosting.operations import photo_key
from marketplace.notify.models import Notification
from marketplace.projects.lifecycle import run_due_transitions
from tests.downloads import disposition
from tests.review.helpers import ReviewWorld, awarded
from tests.volunteers.helpers import HostingWorld
from tests.volunteers.pages import error_of, signed_in

GPS_IFD = 0x8825


def phone_photo(width=4000, height=3000) -> bytes:
    """A JPEG as a phone takes it: large, with the place it was taken in its EXIF."""
    image = Image.new("RGB", (width, height), (180, 40, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 7.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def progress_form(*files, **overrides) -> dict:
    data = {
        "milestone": "完成志愿者招募",
        "percent": "30",
        "body": "共招募 20 名志愿者。",
        "photos": list(files),
    }
    data.update(overrides)
    return data


@pytest.fixture
def world(app):
    return HostingWorld()


@pytest.fixture
def hosted(app):
    """A project awarded to club A for 4000 元, its notice window over: in hosting with a budget."""
    world = awarded(ReviewWorld())
    clock.shift(timedelta(days=4))
    run_due_transitions()
    db.session.commit()
    return world


def test_a_phone_photo_is_stored_without_its_location_and_at_most_1600_px(app, world):
    original = phone_photo()
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()
    host = signed_in(app, world.host)
    response = host.post(
        f"/hosting/projects/{world.project.id}/progress",
        data=progress_form((io.BytesIO(original), "IMG_0001.jpg")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    photo = db.session.scalar(select(Photo))
    stored = Image.open(storage.backend().path(photo_key(photo.stored_name)))
    assert max(stored.size) <= 1600 and (photo.width, photo.height) == stored.size
    assert not stored.getexif() and "exif" not in stored.info

    served = signed_in(app, None).get(f"/photos/{photo.public_id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert disposition(served).fallback == f"photo-{photo.public_id}.jpg"
    assert not Image.open(io.BytesIO(served.data)).getexif()
    timeline = signed_in(app, None).get(f"/projects/{world.project.id}/timeline").get_data(as_text=True)
    assert "完成志愿者招募" in timeline and f"/photos/{photo.public_id}" in timeline


def test_a_file_that_is_not_an_image_is_refused_with_the_reason(app, world):
    response = signed_in(app, world.host).post(
        f"/hosting/projects/{world.project.id}/progress",
        data=progress_form((io.BytesIO(b"%PDF-1.4 not a photo"), "plan.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_of(page, "photos") == "“plan.pdf”不是可识别的图片。"
    assert 'value="完成志愿者招募"' in page  # what was typed stays
    assert db.session.scalar(select(Photo)) is None


def test_overspending_without_a_reason_is_refused_beside_the_field(app, hosted):
    host = signed_in(app, hosted.manager_a)
    url = f"/hosting/projects/{hosted.project.id}/expenditures"
    form = {"spent_on": "2026-04-01", "item": "场地布置", "amount": "3500", "note": ""}
    assert host.post(url, data=form).status_code == 302
    assert "超支原因" not in host.get(f"/hosting/projects/{hosted.project.id}").get_data(as_text=True)

    refused = host.post(url, data={**form, "item": "物料印刷", "amount": "800"})
    assert refused.status_code == 422
    assert "超出中标预算 4000.00 元，请说明超支原因" in error_of(
        refused.get_data(as_text=True), "over_budget_reason"
    )
    assert db.session.scalar(select(Expenditure).where(Expenditure.item == "物料印刷")) is None


def test_overspending_with_a_reason_is_saved_public_and_the_staff_are_told(app, hosted):
    host = signed_in(app, hosted.manager_a)
    url = f"/hosting/projects/{hosted.project.id}/expenditures"
    host.post(url, data={"spent_on": "2026-04-01", "item": "场地布置", "amount": "3500"})
    response = host.post(
        url,
        data={
            "spent_on": "2026-04-02",
            "item": "物料印刷",
            "amount": "800",
            "over_budget_reason": "参加人数翻倍",
        },
    )
    assert response.status_code == 302
    spent = db.session.scalar(select(Expenditure).where(Expenditure.item == "物料印刷"))
    assert spent.over_budget_reason == "参加人数翻倍"
    told = db.session.scalars(select(Notification).where(Notification.kind == "hosting.overspent")).all()
    assert [n.user_id for n in told] == [hosted.staff.id]
    timeline = signed_in(app, None).get(f"/projects/{hosted.project.id}/timeline").get_data(as_text=True)
    assert "物料印刷" in timeline and "参加人数翻倍" in timeline and "中标预算 4000.00 元" in timeline


def test_only_the_host_opens_the_console_and_drafts_have_no_public_timeline(app, world):
    for viewer in (world.manager_b, world.staff, world.students(1)[0]):
        assert signed_in(app, viewer).get(f"/hosting/projects/{world.project.id}").status_code == 403
    assert signed_in(app, world.host).get(f"/hosting/projects/{world.project.id}").status_code == 200
    draft = world.draft()
    assert signed_in(app, None).get(f"/projects/{draft.id}/timeline").status_code == 404
    assert signed_in(app, None).get("/projects/99999/timeline").status_code == 404
    assert signed_in(app, None).get("/photos/no-such-photo").status_code == 404
