"""/credits/verify: the verifying role sees records confirmed by hosts, verifies them in bulk or rejects
one with a reason; nobody else may."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from marketplace import pagination, settings
from marketplace.credits.models import CreditStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification
from tests import factories
from tests.bids.helpers import signed_in
from tests.credits.helpers import add_records, records_of
from tests.isolation import in_this_session


@pytest.fixture
def world(credit_world):
    """Every test here starts from the credits world built once for the module (and is rolled back)."""
    return in_this_session(credit_world)


def test_the_verifier_verifies_ticked_records_in_bulk_and_the_students_are_told(app, world):
    reviewer = signed_in(app, world.reviewer)
    page = reviewer.get("/credits/verify").get_data(as_text=True)
    assert page.count('data-testid="queue-record"') == 2
    assert all(v.name in page for v in world.volunteers)

    public_ids = [r.public_id for r in records_of()]
    response = reviewer.post("/credits/verify", data={"records": public_ids})

    assert response.status_code == 302
    assert {r.status for r in records_of()} == {CreditStatus.VERIFIED}
    assert {r.verified_by_id for r in records_of()} == {world.reviewer.id}
    told = db.session.scalars(
        select(Notification.user_id).where(Notification.kind == "credit.verified")
    ).all()
    assert sorted(told) == sorted(v.id for v in world.volunteers)
    assert "没有等待认定的记录" in reviewer.get("/credits/verify").get_data(as_text=True)


def test_bulk_verification_with_nothing_ticked_says_so(app, world):
    response = signed_in(app, world.reviewer).post("/credits/verify", data={})
    assert response.status_code == 422 and "请至少勾选一条记录" in response.get_data(as_text=True)


def test_the_queue_filters_by_project_and_term(app, world):
    other = add_records(world, 1)[0]
    reviewer = signed_in(app, world.reviewer)
    by_project = reviewer.get("/credits/verify", query_string={"project": other.project.title})
    assert by_project.get_data(as_text=True).count('data-testid="queue-record"') == 1
    by_term = reviewer.get("/credits/verify", query_string={"term_id": world.term.id})
    assert by_term.get_data(as_text=True).count('data-testid="queue-record"') == 3


def test_a_rejection_needs_a_reason_beside_the_field_and_reaches_the_student(app, world):
    record = records_of(world.volunteers[0])[0]
    reviewer = signed_in(app, world.reviewer)
    field = f"r-{record.public_id}-reason"

    refused = reviewer.post(f"/credits/records/{record.public_id}/reject", data={field: ""})
    assert refused.status_code == 422
    assert f'id="{field}"' in refused.get_data(as_text=True) and "此项必填" in refused.get_data(as_text=True)

    done = reviewer.post(f"/credits/records/{record.public_id}/reject", data={field: "当天未到岗"})
    assert done.status_code == 302
    db.session.refresh(record)
    assert record.status == CreditStatus.REJECTED and record.rejection_reason == "当天未到岗"
    note = db.session.scalar(select(Notification).where(Notification.kind == "credit.rejected"))
    assert note.user_id == world.volunteers[0].id and "当天未到岗" in note.body


def test_nobody_but_the_verifying_role_may_use_the_queue(app, world):
    record = records_of()[0]
    for user in (world.staff, world.host, world.volunteers[0], factories.user(roles=("evaluator",))):
        client = signed_in(app, user)
        assert client.get("/credits/verify").status_code == 403
        assert client.post("/credits/verify", data={"records": [record.public_id]}).status_code == 403
        reject = client.post(f"/credits/records/{record.public_id}/reject", data={"reason": "x"})
        assert reject.status_code == 403
    assert {r.status for r in records_of()} == {CreditStatus.CONFIRMED}
    assert signed_in(app, world.reviewer).post("/credits/records/nope/reject").status_code == 404


def test_when_staff_verify_they_see_only_their_unions_records(app, world):
    settings.put("credit_verifier_role", "staff", None)
    db.session.commit()
    outsider = factories.staff_member(name="外校干事")
    assert "学分审核" not in signed_in(app, world.reviewer).get("/").get_data(as_text=True)
    assert signed_in(app, world.reviewer).get("/credits/verify").status_code == 403
    page = signed_in(app, world.staff).get("/credits/verify").get_data(as_text=True)
    assert page.count('data-testid="queue-record"') == 2
    other_union = signed_in(app, outsider).get("/credits/verify").get_data(as_text=True)
    assert 'data-testid="queue-record"' not in other_union
    # The home page's row counts the same records: the staff's union's, and none of another union's.
    assert "2 条学分记录待认定" in signed_in(app, world.staff).get("/").get_data(as_text=True)
    assert "条学分记录待认定" not in signed_in(app, outsider).get("/").get_data(as_text=True)
    response = signed_in(app, outsider).post("/credits/verify", data={"records": [records_of()[0].public_id]})
    assert response.status_code == 422 and "都已处理过了" in response.get_data(as_text=True)
    assert records_of()[0].status == CreditStatus.CONFIRMED


def test_the_queue_queries_do_not_grow_with_the_records(app, world, count_queries):
    reviewer = signed_in(app, world.reviewer)
    reviewer.get("/credits/verify")  # the welcome message after signing in; not counted
    add_records(world, 1)  # 3 waiting: the shift's two and this one
    few = count_queries(lambda: reviewer.get("/credits/verify"))
    add_records(world, 27)
    many = count_queries(lambda: reviewer.get("/credits/verify"))
    assert few == many


def test_the_queue_counts_what_waits_and_pages_on_from_the_oldest(app, world):
    add_records(world, 23)
    reviewer = signed_in(app, world.reviewer)

    first = html.unescape(reviewer.get("/credits/verify").get_data(as_text=True))
    after = re.search(r'href="([^"]*after=[^"]*)"', first).group(1)
    second = reviewer.get(after).get_data(as_text=True)

    assert "共 25 条待认定" in first
    assert first.count('data-testid="queue-record"') == 20
    assert second.count('data-testid="queue-record"') == 5


def test_a_backlog_past_the_cap_is_counted_as_more_than_it(app, world, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 1)

    page = signed_in(app, world.reviewer).get("/credits/verify").get_data(as_text=True)

    assert "共 1+ 条待认定" in page  # the world has two records waiting
