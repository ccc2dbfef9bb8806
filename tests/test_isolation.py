"""The isolation the suite stands on (tests/isolation.py): within a test, every session — the test's,
each request's, each task's — sees what the others committed; what a test wrote, rolled back or
committed for real, the next test never sees. The tests run in this file's order."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import SiteRole, User
from marketplace.extensions import db
from marketplace.notify import operations as notify
from marketplace.notify.models import NotificationPreference, OutboxStatus
from tests import factories
from tests.notify import outbox


def rows_left(db) -> dict[str, int]:
    tables = db.metadata.sorted_tables
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}
    return {name: n for name, n in counts.items() if n}


@pytest.fixture
def empty(db):
    """What every test starts from: nothing but the default credit categories."""
    return set(rows_left(db)) <= {"credit_category"}


def test_every_session_of_a_test_sees_what_the_others_committed(client, empty):
    assert empty
    user = factories.user()  # committed by the test's session
    factories.login(client, user)
    client.post("/notifications/preferences", data={"role.granted": "on"})  # by a request's
    notify.send(user, "role.granted", role=SiteRole.EVALUATOR)
    db.session.commit()  # and the delivery task's, run at once after this commit

    assert notify.email_preferences(user)["membership.granted"] is False
    [mail] = outbox.messages("role.granted", to=user.email)
    assert mail.status == OutboxStatus.SENT


def test_the_next_test_finds_none_of_it(empty):
    assert empty


def test_a_request_keeps_its_commit_when_the_test_rolls_back_what_it_had_only_read(client):
    user = factories.user()
    factories.login(client, user)
    assert notify.email_preferences(user)["role.granted"] is True  # the test's session reads

    client.post("/notifications/preferences", data={"membership.granted": "on"})
    db.session.rollback()

    assert notify.email_preferences(user)["role.granted"] is False


@pytest.mark.commits
def test_a_test_marked_commits_writes_for_connections_of_their_own_to_see(app, empty):
    assert empty
    name = "另一个连接写入的用户"

    def write_elsewhere():
        with app.app_context():
            factories.user(name=name)
            db.session.remove()

    thread = threading.Thread(target=write_elsewhere)
    thread.start()
    thread.join(timeout=10)

    assert db.session.scalar(select(User.name)) == name
    assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0


def test_after_a_test_that_committed_the_tables_it_wrote_are_empty_again(empty):
    assert empty
