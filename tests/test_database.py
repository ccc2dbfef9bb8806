"""How the app uses PostgreSQL (marketplace/database.py): a request's transaction ends with COMMIT
when it only read, so that the statements its connection prepared outlive it, and with ROLLBACK when
it wrote without committing, changed an object without writing it, or failed; the prepared statements
are planned once for any parameters; a pooled connection is asked whether it is alive only after it
sat idle."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from marketplace import database
from marketplace.accounts.models import User
from marketplace.extensions import db
from tests import factories
from tests.bids.helpers import signed_in


@pytest.fixture
def commits():
    """The commits of every session while the test runs, counted."""
    seen = []

    def count(session):
        if not session.in_nested_transaction():
            seen.append(session)

    event.listen(Session, "after_commit", count)
    yield seen
    event.remove(Session, "after_commit", count)


def _name(user_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.name).where(User.id == user_id))


def test_a_page_that_only_read_ends_its_transaction_with_a_commit(app, commits):
    client = signed_in(app, factories.user())
    commits.clear()

    assert client.get("/account/password").status_code == 200
    assert len(commits) == 1


def test_a_context_that_wrote_without_committing_leaves_nothing_behind(app):
    user = factories.user(name="张三")
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(name="改过"))
    with app.app_context():
        db.session.get(User, user.id).name = "又改过"
        db.session.flush()

    assert _name(user.id) == "张三"


def test_an_object_changed_but_never_flushed_is_not_saved_when_the_context_ends(app):
    # A commit would flush it first: the end of a context must not save what a view only displayed.
    user = factories.user(name="张三")
    with app.app_context():
        db.session.get(User, user.id).name = "只为显示"

    assert _name(user.id) == "张三"


def test_a_failed_request_is_rolled_back_not_committed(app, commits):
    with pytest.raises(ZeroDivisionError), app.app_context():
        db.session.scalar(select(User.id))
        1 / 0  # noqa: B018 — the request's view raising

    assert commits == []


def test_objects_loaded_in_a_context_that_only_read_stay_readable_after_it(app):
    user = factories.user(name="张三")
    with app.app_context():
        loaded = db.session.get(User, user.id)

    assert loaded.name == "张三"


@pytest.mark.postgres
@pytest.mark.commits  # real transactions on the pool's connections, as in a server
def test_a_page_seen_again_runs_from_statements_its_connection_prepared_with_generic_plans(app):
    client = signed_in(app, factories.user())
    db.session.remove()
    db.engine.dispose()  # one connection, handed to every request in turn, as in a gunicorn worker
    prepared = []

    def look(conn, cursor, statement, parameters, context, executemany):
        if not prepared:
            found = cursor.connection.execute(
                "SELECT count(*), coalesce(sum(generic_plans), 0) FROM pg_prepared_statements"
            )
            prepared.append((*found.fetchone(), cursor.connection.prepared_max))

    for _ in range(7):
        assert client.get("/account/password").status_code == 200
    event.listen(db.engine, "before_cursor_execute", look)
    try:
        assert client.get("/account/password").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", look)

    statements, generic_plans, kept_at_most = prepared[0]
    assert statements >= 1  # the signed-in user with their roles and unread count
    assert generic_plans >= 1
    assert kept_at_most == database.PREPARED_MAX


@pytest.fixture
def pooled(app):
    """A client of a signed-in user whose requests take turns on one pooled connection, as in a
    gunicorn worker; yields (client, pings), pings listing each connection asked whether it is alive."""
    client = signed_in(app, factories.user())
    db.session.remove()
    db.engine.dispose()
    pings = []
    ping = db.engine.dialect.do_ping
    db.engine.dialect.do_ping = lambda connection: pings.append(connection) or ping(connection)
    try:
        yield client, pings
    finally:
        del db.engine.dialect.do_ping


@pytest.mark.postgres
@pytest.mark.commits
def test_a_connection_used_moments_ago_is_not_asked_whether_it_is_alive(app, pooled):
    client, pings = pooled

    for _ in range(3):
        assert client.get("/account/password").status_code == 200

    assert pings == []


@pytest.mark.postgres
@pytest.mark.commits
def test_a_connection_idle_past_the_limit_is_asked_and_replaced_when_the_server_closed_it(
    app, pooled, monkeypatch
):
    client, pings = pooled
    assert client.get("/account/password").status_code == 200
    with app.app_context():
        backend = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.commit()
    # The server ends the pooled connection (a restart, a failover, a firewall's idle timeout).
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)

    assert client.get("/account/password").status_code == 200
    assert len(pings) == 1
