"""/verify/<code>: anyone checks a transcript without logging in — genuine or not, masked name, totals,
whether the records changed since — and nobody can try codes in bulk."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from marketplace.credits import records as credit_records
from marketplace.credits.models import DocumentIssue
from marketplace.extensions import db
from tests.bids.helpers import signed_in
from tests.credits.helpers import records_of


@pytest.fixture
def issued(app, world):
    """张小三 downloaded a transcript with her verified record: the issued code."""
    student = world.volunteers[0]
    student.name = "张小三"
    credit_records.verify(world.reviewer, records_of(student))
    db.session.commit()
    signed_in(app, student).get("/transcript.pdf")
    return db.session.scalar(select(DocumentIssue).where(DocumentIssue.user_id == student.id))


def test_the_issued_code_is_genuine_with_the_masked_name_and_never_the_full_name(client, issued):
    response = client.get(f"/verify/{issued.code}")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "真实有效" in page and "张*三" in page and "示例大学" in page
    assert "志愿公益" in page and "3.5 学时 · 0.44 学分" in page
    assert "没有变动" in page
    assert "张小三" not in page and issued.user.student_no not in page


def test_a_code_typed_by_hand_in_lower_case_without_dashes_is_found(client, issued):
    typed = issued.code.replace("-", "").lower()
    response = client.get("/verify", query_string={"code": f" {typed} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/verify/{issued.code}")
    assert "真实有效" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_changed_code_is_refused_clearly(client, issued):
    altered = issued.code[:-1] + ("A" if issued.code[-1] != "A" else "B")
    response = client.get(f"/verify/{altered}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "未找到这份文件" in page and "真实有效" not in page and "张*三" not in page


def test_an_empty_code_is_asked_for_again_beside_the_field(client):
    response = client.get("/verify", query_string={"code": ""})
    assert response.status_code == 422 and "此项必填" in response.get_data(as_text=True)
    assert client.get("/verify").status_code == 200


def test_the_page_says_when_records_changed_after_the_transcript_was_issued(client, world, issued):
    record = records_of(world.volunteers[0])[0]
    credit_records.correct(world.staff, record, Decimal("2"), "签退时间有误，更正")
    db.session.commit()
    page = client.get(f"/verify/{issued.code}").get_data(as_text=True)
    assert "真实有效" in page and "有过变动" in page


def test_lookups_are_rate_limited_per_address(client, issued):
    for _ in range(30):
        assert client.get(f"/verify/{issued.code}").status_code == 200
    assert client.get(f"/verify/{issued.code}").status_code == 429
    assert client.get("/verify", query_string={"code": issued.code}).status_code == 429
