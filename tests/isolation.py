"""How each test finds the tables as they were: rolled back, or, for the few that commit, emptied.

An ordinary test runs inside one transaction of one connection, rolled back at its end. Every
session of the test app (the test's own, each request's, each task's, the command line's) joins that
transaction through a SAVEPOINT of its own, so the code's commits and rollbacks behave as they do in
production, and nothing reaches the disk.

A test whose data other connections must see (threads with their own connections, the browser
tests' live server) is marked ``commits``: it commits for real, and afterwards the tables it wrote
are emptied, children before parents.

A world that is costly to build and that several tests start from is built once by a class- or
module-scoped fixture made with :func:`shared_world`; each of its tests then runs in a SAVEPOINT of
that world's transaction, rolled back at its end.
"""

from __future__ import annotations

import copy
import functools
import re
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.session import Session
from sqlalchemy.orm.state import InstanceState

from marketplace import clock

TEST_NOW = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # 10:00 on a Monday of the spring term, Beijing time


def begin_test(now: datetime = TEST_NOW) -> None:
    """What every test starts from besides the tables: the clock frozen (at TEST_NOW unless a shared
    world left it elsewhere), default categories, no rate limits."""
    from marketplace.credits.operations import ensure_default_categories
    from marketplace.extensions import db, limiter

    clock.set(now)
    limiter.reset()
    ensure_default_categories()
    db.session.commit()


def end_test() -> None:
    from marketplace.extensions import db

    clock.reset()
    db.session.remove()


class _Bound:
    """The connection the sessions of ``app`` use in this test, or None: the engine's own."""

    app = None
    connection: sa.Connection | None = None
    thread: int | None = None


class BoundSession(Session):
    """``db.session``'s class in tests: on the rolled-back test's connection while there is one."""

    def bound(self) -> bool:
        return _Bound.connection is not None and current_app._get_current_object() is _Bound.app

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bound():
            if threading.get_ident() != _Bound.thread:
                raise RuntimeError(
                    "another thread uses the database of a rolled-back test, where it would share the "
                    "test's connection: mark the test `commits`"
                )
            return _Bound.connection
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)

    def idle(self) -> bool:
        """In a transaction that has written nothing and holds no change."""
        transaction = self.get_transaction()
        return (
            transaction is not None
            and transaction.is_active
            and not self.in_nested_transaction()
            and not self.info.get(_WROTE)
            and not (self.new or self.dirty or self.deleted)
        )


SESSION_OPTIONS = {"class_": BoundSession, "join_transaction_mode": "create_savepoint"}

# Savepoints nest: a session that begins while another's savepoint is open (a request while the
# test's session has read something, a task run by a request) releases its work into that savepoint,
# and would lose it when the other rolled back or closed — which, on connections of their own, would
# not touch it. So a session that begins first ends the idle transactions of the others: having
# written nothing, ending them by RELEASE is the same as ending them by ROLLBACK.
_WROTE = "test_transaction_wrote"
_open_sessions: weakref.WeakSet[BoundSession] = weakref.WeakSet()


@sa.event.listens_for(BoundSession, "after_transaction_create")
def _end_idle_transactions_of_others(session, transaction):
    if transaction.parent is not None or not session.bound():
        return
    session.info[_WROTE] = False
    for other in list(_open_sessions):
        if other is not session and other.idle():
            other.commit()
    _open_sessions.add(session)


@sa.event.listens_for(BoundSession, "before_flush")
def _note_flush(session, flush_context, instances):
    session.info[_WROTE] = True


@sa.event.listens_for(BoundSession, "do_orm_execute")
def _note_statement(state):
    if not state.is_select:
        state.session.info[_WROTE] = True


@contextmanager
def bound_to(app, connection: sa.Connection | None) -> Iterator[None]:
    """Within the block, the sessions of ``app`` use ``connection`` (None: the engine's own)."""
    before = _Bound.app, _Bound.connection, _Bound.thread
    _Bound.app, _Bound.connection, _Bound.thread = app, connection, threading.get_ident()
    try:
        yield
    finally:
        _Bound.app, _Bound.connection, _Bound.thread = before


@contextmanager
def rolled_back(app, shared: sa.Connection | None = None) -> Iterator[sa.Connection]:
    """A transaction rolled back at the end of the block: a connection's own, or a SAVEPOINT of
    ``shared``, the connection of a :func:`shared_world`."""
    from marketplace.extensions import db

    with app.app_context():
        connection = shared or db.engine.connect()
    transaction = connection.begin_nested() if shared else connection.begin()
    try:
        yield connection
    finally:
        transaction.rollback()
        if not shared:
            connection.close()
        if _written:  # what a connection of its own committed (a progress report does)
            delete_written(app)


@dataclass(frozen=True)
class Shared:
    connection: sa.Connection
    now: datetime  # where building the world left the clock: where each of its tests starts


_SHARED: dict[str, Shared] = {}


def shared(fixturenames) -> Shared | None:
    """The shared world a test uses, if it uses one."""
    used = [_SHARED[name] for name in fixturenames if name in _SHARED]
    if _SHARED and not used:
        # Its open transaction would hide its rows from this test and make it wait on their locks.
        raise RuntimeError(
            f"this test runs while the shared world {', '.join(_SHARED)} is open: scope that fixture "
            "to a class (or module) holding only the tests that use it"
        )
    return used[0] if used else None


SHARING = True  # conftest turns it off where tests commit for real (the SQLite fallback)


def shared_world(scope: str = "class", **fixture_options):
    """Make ``build(app, …) -> world`` a class-scoped (or module-scoped) fixture: the world is built
    once, in a transaction that the tests using the fixture share (each in a SAVEPOINT rolled back
    after it) and that is rolled back after the last of them. For costly worlds that several tests
    start from; put those tests in a class of their own, or use ``scope="module"`` when every test of
    the module does. Hand them ids or plain values: the objects ``build`` loaded leave with its session
    (or :func:`in_this_session` brings them back). Where tests commit for real, the world is built for
    each test."""

    def decorate(build):
        name = build.__name__

        @functools.wraps(build)
        def for_each_test(app, **fixtures):
            with app.app_context():
                return build(app, **fixtures)

        @functools.wraps(build)
        def for_the_class(app, **fixtures):
            with rolled_back(app) as connection:
                with bound_to(app, connection), app.app_context():
                    begin_test()
                    world = build(app, **fixtures)
                    now = clock.now()
                    end_test()
                _SHARED[name] = Shared(connection, now)
                try:
                    yield world
                finally:
                    del _SHARED[name]

        if not SHARING:
            return pytest.fixture(**fixture_options)(for_each_test)
        return pytest.fixture(scope=scope, **fixture_options)(for_the_class)

    return decorate


def in_this_session(world):
    """A copy of a shared world whose database objects (attributes, or in lists and dicts) are
    loaded again in the test's own session."""
    from marketplace.extensions import db

    def again(value):
        if isinstance(value, list | tuple):
            return type(value)(again(v) for v in value)
        if isinstance(value, dict):
            return {k: again(v) for k, v in value.items()}
        state = sa.inspect(value, raiseerr=False)
        if isinstance(state, InstanceState) and state.key is not None:
            return db.session.get(state.class_, state.identity)
        return value

    copied = copy.copy(world)
    for name, value in vars(world).items():
        setattr(copied, name, again(value))
    return copied


# The tables to empty after a test: those written through any connection but the rolled-back one.
_INSERT = re.compile(r'^\s*INSERT\s+INTO\s+"?(\w+)"?', re.IGNORECASE)
_written: set[str] = set()


def note_writes(conn, cursor, statement, parameters, context, executemany):
    """An engine's ``before_cursor_execute`` listener (every connection, threads included)."""
    if conn is _Bound.connection:
        return
    match = _INSERT.match(statement)
    if match:
        _written.add(match.group(1))


def forget_writes() -> None:
    _written.clear()


def delete_written(app) -> None:
    """Empty the tables written outside a rolled-back transaction, children before parents."""
    from marketplace.extensions import db

    with app.app_context():
        tables = [t for t in db.metadata.sorted_tables if t.name in _written]
        _written.clear()
        if not tables:
            return
        with db.engine.begin() as conn:
            refusing = _refusing_delete(conn.dialect.name)
            for table in reversed(tables):
                if table.name in refusing:
                    conn.execute(sa.text(f'TRUNCATE "{table.name}"'))
                else:
                    conn.execute(table.delete())


@functools.cache
def _refusing_delete(dialect: str) -> frozenset[str]:
    """Tables whose own triggers refuse a DELETE (the append-only audit log): those are truncated,
    which fires no row trigger."""
    if dialect != "postgresql":
        return frozenset()
    from marketplace.extensions import db

    with db.engine.connect() as conn:
        return frozenset(
            conn.scalars(
                sa.text(
                    "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE NOT t.tgisinternal"
                )
            )
        )
