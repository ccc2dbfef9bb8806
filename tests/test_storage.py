"""The object-store backend (STORAGE_URL=s3://…), against moto's S3 server: files uploaded through the
app land in the bucket, not in UPLOAD_DIR, and come back only through the app's views after the same
permission checks as on one machine."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace import storage
from marketplace.bids import files
from marketplace.bids.models import BidAttachment
from marketplace.extensions import db
from marketplace.hosting import operations as hosting
from marketplace.hosting.models import Photo, ProgressUpdate
from tests.bids.helpers import PDF, signed_in, upload
from tests.downloads import disposition
from tests.hosting.test_progress_and_spending import phone_photo, progress_form
from tests.projects.helpers import World
from tests.volunteers.helpers import HostingWorld


def test_the_storage_url_names_the_bucket_and_prefix(app):
    backend = storage.from_url("s3://school-files/jiebang/", "/unused")
    assert (backend.bucket, backend.prefix) == ("school-files", "jiebang")
    assert isinstance(storage.from_url(None, "/srv/uploads"), storage.LocalStorage)
    with pytest.raises(ValueError):
        storage.from_url("https://school-files/jiebang", "/unused")


def test_a_key_cannot_climb_out_of_the_store(app, tmp_path):
    local = storage.LocalStorage(tmp_path)
    for key in ("../secret_key", "/etc/passwd", "bids/../../x", ""):
        with pytest.raises(ValueError):
            local.path(key)


def test_save_open_exists_delete_and_chunked_writing_in_the_bucket(app, s3_bucket):
    storage.save("exports/a", b"first")
    storage.save("exports/b", io.BytesIO(b"second"))
    with storage.writer("exports/c") as out:
        for _ in range(3):
            out.write(b"row\n")
    assert s3_bucket.keys() == {"files/exports/a", "files/exports/b", "files/exports/c"}
    stream = storage.open_stream("exports/b")
    assert stream.read() == b"second"
    stream.close()
    with storage.local_copy("exports/c") as path:
        assert path.read_bytes() == b"row\nrow\nrow\n"
    assert storage.exists("exports/a")
    storage.delete("exports/a")
    storage.delete("exports/a")  # already gone: no error
    assert not storage.exists("exports/a")


def test_a_sealed_bid_attachment_is_kept_in_the_bucket_and_served_only_to_its_bidder(app, s3_bucket):
    world = World()
    project = world.open_project()
    bid = world.bid(project)
    response = upload(signed_in(app, world.manager_a), bid, "预算表.pdf", PDF)
    assert response.status_code == 302
    attachment = db.session.scalars(select(BidAttachment)).one()
    assert s3_bucket.keys() == {f"files/{files.key(attachment.stored_name)}"}
    assert not (Path(app.config["UPLOAD_DIR"]) / files.key(attachment.stored_name)).exists()

    url = f"/attachments/{attachment.public_id}"
    served = signed_in(app, world.manager_a).get(url)
    assert served.status_code == 200 and served.data == PDF  # streamed by the app, not a redirect
    assert served.headers["Cache-Control"] == "private, no-store"
    assert disposition(served).name == "预算表.pdf"
    assert signed_in(app, world.manager_b).get(url).status_code == 404
    assert signed_in(app, world.staff).get(url).status_code == 404  # sealed until the deadline
    assert signed_in(app, None).get(url).status_code == 302


def test_a_progress_photo_is_kept_in_the_bucket_and_removed_with_its_update(app, s3_bucket):
    world = HostingWorld()
    host = signed_in(app, world.host)
    response = host.post(
        f"/hosting/projects/{world.project.id}/progress",
        data=progress_form((io.BytesIO(phone_photo(400, 300)), "IMG_0001.jpg")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    photo = db.session.scalar(select(Photo))
    assert s3_bucket.keys() == {f"files/{hosting.photo_key(photo.stored_name)}"}

    served = signed_in(app, None).get(f"/photos/{photo.public_id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data[:3] == b"\xff\xd8\xff"
    assert signed_in(app, None).get("/photos/nonexistent").status_code == 404

    update = db.session.scalar(select(ProgressUpdate))
    assert host.post(f"/hosting/progress/{update.id}/delete").status_code == 302
    assert s3_bucket.keys() == set()
