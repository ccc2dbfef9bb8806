"""Attachments (附件): the type is judged by the content, not the name; the size is limited; files live
outside static/ and are handed only to those who may see the bid."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from marketplace import settings, storage
from marketplace.accounts.models import AccountKind
from marketplace.bids import files
from marketplace.bids.models import BidAttachment
from marketplace.extensions import db
from tests import factories
from tests.bids.helpers import DOCX, OLE2, PDF, PLAIN_ZIP, PNG, signed_in, upload
from tests.downloads import disposition


def stored_files() -> set[str]:
    folder = storage.backend().path(files.key("x")).parent
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def attachment_count() -> int:
    return db.session.scalar(select(func.count()).select_from(BidAttachment))


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("方案.pdf", PNG, "文件内容与扩展名 .pdf 不符"),
        ("方案.docx", PLAIN_ZIP, "文件内容与扩展名 .docx 不符"),
        ("方案.exe", b"MZ\x90\x00", "不支持这种文件类型"),
        ("方案.pdf", b"", "文件是空的"),
    ],
    ids=["png-named-pdf", "plain-zip-named-docx", "unsupported-type", "empty"],
)
def test_a_file_whose_content_does_not_match_is_refused_with_the_reason(
    app, world, project, filename, data, reason
):
    bid = world.bid(project)
    before = stored_files()

    response = upload(signed_in(app, world.manager_a), bid, filename, data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    beside_field = page.split('name="file"')[1].split("</form>")[0]
    assert reason in beside_field
    assert attachment_count() == 0 and stored_files() == before


def test_a_file_over_the_size_limit_is_refused(app, world, project):
    admin = factories.user(kind=AccountKind.FACULTY, roles=("admin",))
    settings.put("attachment_max_mb", 1, admin)
    db.session.commit()
    bid = world.bid(project)
    client = signed_in(app, world.manager_a)

    assert "不超过 1 MB" in client.get(f"/bids/{bid.public_id}").get_data(as_text=True)
    response = upload(client, bid, "标书.pdf", PDF + b"\x00" * (1024 * 1024))

    assert response.status_code == 422
    assert "文件超过 1 MB 的上限" in response.get_data(as_text=True)
    assert attachment_count() == 0
    assert upload(client, bid, "标书.pdf", PDF).status_code == 302


@pytest.mark.parametrize(
    ("filename", "data", "content_type"),
    [
        ("标书（终稿）.pdf", PDF, "application/pdf"),
        (
            "标书.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("标书.doc", OLE2, "application/msword"),
        ("标书.wps", OLE2, "application/vnd.ms-works"),
    ],
    ids=["pdf", "docx", "doc", "wps"],
)
def test_real_pdf_word_and_wps_files_are_accepted_and_served_to_the_bidder(
    app, world, project, filename, data, content_type
):
    bid = world.bid(project)
    client = signed_in(app, world.manager_a)

    response = upload(client, bid, filename, data)

    assert response.status_code == 302
    attachment = db.session.scalars(select(BidAttachment)).one()
    assert filename in client.get(f"/bids/{bid.public_id}").get_data(as_text=True)
    download = client.get(f"/attachments/{attachment.public_id}")
    assert download.status_code == 200 and download.data == data
    assert download.mimetype == content_type
    names = disposition(download)
    assert names.kind == "attachment" and names.name == filename
    assert names.fallback == f"bid-attachment-{attachment.public_id}.{filename.rsplit('.', 1)[1]}"
    assert "private" in download.headers["Cache-Control"]


def test_files_are_stored_outside_static_under_random_names_and_served_only_to_those_allowed(
    app, world, project, clock
):
    bid = world.bid(project)
    upload(signed_in(app, world.manager_a), bid, "预算表.pdf", PDF)
    attachment = db.session.scalars(select(BidAttachment)).one()

    path = storage.backend().path(files.key(attachment.stored_name))
    assert path.read_bytes() == PDF
    assert Path(app.static_folder).resolve() not in path.resolve().parents
    assert attachment.stored_name not in attachment.filename and len(attachment.stored_name) == 32
    url = f"/attachments/{attachment.public_id}"
    assert signed_in(app, world.manager_b).get(url).status_code == 404
    assert signed_in(app, world.staff).get(url).status_code == 404
    assert signed_in(app, None).get(url).status_code == 302

    clock.set(project.bid_deadline + timedelta(minutes=1))
    assert signed_in(app, world.staff).get(url).data == PDF
    assert signed_in(app, world.manager_b).get(url).status_code == 404


def test_a_removed_attachment_is_gone_from_the_page_and_its_link(app, world, project):
    bid = world.bid(project)
    client = signed_in(app, world.manager_a)
    upload(client, bid, "旧版.pdf", PDF)
    attachment = db.session.scalars(select(BidAttachment)).one()

    assert client.post(f"/attachments/{attachment.public_id}/remove").status_code == 302

    listed = client.get(f"/bids/{bid.public_id}").get_data(as_text=True).split('data-testid="attachments"')[1]
    assert "旧版.pdf" not in listed.split("</ul>")[0]
    assert client.get(f"/attachments/{attachment.public_id}").status_code == 404
    assert (
        signed_in(app, world.manager_b).post(f"/attachments/{attachment.public_id}/remove").status_code == 404
    )


def test_no_attachment_is_added_after_the_deadline(app, world, project, clock):
    bid = world.bid(project)
    client = signed_in(app, world.manager_a)
    clock.set(project.bid_deadline)

    response = upload(client, bid, "补充.pdf", PDF)

    assert response.status_code == 422 and "竞标已截止" in response.get_data(as_text=True)
    assert attachment_count() == 0
