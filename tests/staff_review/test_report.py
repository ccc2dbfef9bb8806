"""The 述职 report: its author writes it (sanitised Markdown) and attaches files until the window
closes; those who may rate read it while the window is open, the author and the league always."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import Forbidden

from marketplace.errors import DomainError
from marketplace.extensions import db
from marketplace.permissions import can
from marketplace.staff_review import operations
from tests.bids.helpers import signed_in
from tests.staff_review.helpers import StaffWorld

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(app, clock):
    return StaffWorld(staff=2)


def test_the_author_writes_the_report_until_the_window_closes(app, world):
    review = world.open()
    client = signed_in(app, world.staff[0])
    url = f"/staff-reviews/{review.id}/report"
    assert client.post(url, data={"report": "# 述职\n组织迎新晚会"}).status_code == 302
    own = world.reviewee(review, world.staff[0])
    db.session.expire_all()
    assert own.report == "# 述职\n组织迎新晚会"
    world.close(review)
    refused = client.post(url, data={"report": "补充说明：期末答疑周"})
    assert refused.status_code == 422 and "不能再修改" in refused.get_data(as_text=True)


def test_a_report_saved_after_the_close_is_refused_with_the_reason_and_the_typed_text_kept(app, world):
    review = world.open()
    client = signed_in(app, world.staff[0])
    world.close(review)

    refused = client.post(f"/staff-reviews/{review.id}/report", data={"report": "补充说明：期末答疑周"})

    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'role="alert"' in html and "截止，述职报告不能再修改" in html
    assert "补充说明：期末答疑周</textarea>" in html


def test_only_the_author_writes_their_report(world):
    review = world.open()
    with pytest.raises(Forbidden):
        operations.save_report(world.staff[1], world.reviewee(review, world.staff[0]), {"report": "代写"})


def test_a_report_is_at_most_twenty_thousand_characters(world):
    review = world.open()
    with pytest.raises(DomainError, match="最多"):
        operations.save_report(
            world.staff[0], world.reviewee(review, world.staff[0]), {"report": "字" * 20001}
        )


def test_an_attachment_is_stored_and_served_to_raters_but_not_to_outsiders(app, world):
    review = world.open()
    client = signed_in(app, world.staff[0])
    response = client.post(
        f"/staff-reviews/{review.id}/report/attachments",
        data={"file": (io.BytesIO(PDF), "述职材料.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = world.reviewee(review, world.staff[0]).attachments[0]
    assert signed_in(app, world.undergraduate_a).get(attachment.url).data == PDF
    assert signed_in(app, world.master_a).get(attachment.url).status_code == 404
    assert signed_in(app, world.reviewer).get(attachment.url).status_code == 200


def test_a_file_whose_content_is_not_its_type_is_refused_beside_the_field(app, world):
    review = world.open()
    response = signed_in(app, world.staff[0]).post(
        f"/staff-reviews/{review.id}/report/attachments",
        data={"file": (io.BytesIO(b"not a pdf"), "述职材料.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "文件内容与扩展名" in response.get_data(as_text=True)


def test_raters_no_longer_read_a_report_or_its_attachments_once_the_review_closes(app, world):
    review = world.open()
    author, target = world.staff[0], world.reviewee(review, world.staff[0])
    operations.save_report(author, target, {"report": "组织迎新晚会"})
    operations.add_attachment(author, target, {"file": FileStorage(io.BytesIO(PDF), "述职材料.pdf")})
    db.session.commit()
    attachment = target.attachments[0]
    rater, fellow = signed_in(app, world.undergraduate_a), signed_in(app, world.staff[1])
    page = f"/staff-reviews/{review.id}/rate/{target.id}"
    assert "组织迎新晚会" in rater.get(page).get_data(as_text=True)
    assert rater.get(attachment.url).data == PDF and fellow.get(attachment.url).status_code == 200

    world.close(review)

    closed = rater.get(page)
    assert closed.status_code == 302 and closed.location.endswith(f"/staff-reviews/{review.id}/rate")
    assert "组织迎新晚会" not in rater.get(page, follow_redirects=True).get_data(as_text=True)
    assert rater.get(attachment.url).status_code == 404
    assert fellow.get(attachment.url).status_code == 404
    assert signed_in(app, author).get(attachment.url).data == PDF
    assert signed_in(app, world.reviewer).get(attachment.url).data == PDF
    assert "组织迎新晚会" in signed_in(app, world.reviewer).get(
        f"/staff-reviews/{review.id}/results/{target.id}"
    ).get_data(as_text=True)


def test_the_rule_on_reading_a_report_follows_the_window(world):
    review = world.open()
    target = world.reviewee(review, world.staff[0])
    readers = (world.staff[0], world.staff[1], world.undergraduate_a, world.reviewer)
    assert [can(u, "staff_review.read_report", target) for u in readers] == [True] * 4
    assert not can(world.master_a, "staff_review.read_report", target)

    world.close(review)

    assert [can(u, "staff_review.read_report", target) for u in readers] == [True, False, False, True]
