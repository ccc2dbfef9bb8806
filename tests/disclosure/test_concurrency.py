"""One published charter version per union, whatever the approvals racing: the union's row is locked
while a version is published, and the database holds one 已发布 version per union. Real concurrent
requests on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from marketplace.audit import AuditEntry
from marketplace.disclosure.models import CharterVersion, PublicationStatus
from marketplace.extensions import db
from tests import factories
from tests.bids.helpers import signed_in
from tests.disclosure.helpers import DisclosureWorld


def post_at_once(requests: list[tuple[object, str]]) -> list[int]:
    """Each (client, url) posts at the same moment; their status codes in turn."""
    barrier = threading.Barrier(len(requests))
    codes: list = [None] * len(requests)

    def post(i: int, client, url: str) -> None:
        try:
            barrier.wait(timeout=10)
            codes[i] = client.post(url).status_code
        except Exception as error:  # anything else would have been a 500
            codes[i] = repr(error)

    threads = [threading.Thread(target=post, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


def published() -> list[tuple[int, PublicationStatus]]:
    db.session.expire_all()
    return db.session.execute(
        select(CharterVersion.number, CharterVersion.status).order_by(CharterVersion.number)
    ).all()


@pytest.mark.postgres
@pytest.mark.commits
def test_two_reviewers_approving_two_versions_of_one_union_at_once_publish_them_in_turn(app, clock):
    world = DisclosureWorld()
    versions = [world.charter(f"第{i}稿", to="pending") for i in range(4)]
    reviewers = [world.reviewer] + [
        factories.user(kind=world.reviewer.kind, roles=("league_reviewer",)) for _ in range(3)
    ]

    codes = post_at_once(
        [
            (signed_in(app, r), f"/disclosure/charters/{v.id}/approve")
            for r, v in zip(reviewers, versions, strict=True)
        ]
    )

    assert codes == [302] * 4
    statuses = published()
    assert [n for n, _ in statuses] == [1, 2, 3, 4]
    assert [s for _, s in statuses] == [PublicationStatus.SUPERSEDED] * 3 + [PublicationStatus.PUBLISHED]


@pytest.mark.postgres
@pytest.mark.commits
def test_one_version_approved_from_six_tabs_at_once_is_published_once(app, clock):
    world = DisclosureWorld()
    version = world.charter(to="pending")
    clients = [signed_in(app, world.reviewer) for _ in range(6)]

    codes = post_at_once([(c, f"/disclosure/charters/{version.id}/approve") for c in clients])

    assert codes == [302] * 6  # the others are told on the page that it is already published
    assert published() == [(1, PublicationStatus.PUBLISHED)]
    approvals = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "charter.approve")
    assert db.session.scalar(approvals) == 1
