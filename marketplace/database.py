"""How the app uses PostgreSQL for a web app's short queries: the settings of its connections, and
prepared statements that outlive the request that prepared them.

psycopg prepares a statement on the server once a connection has run it five times, and PostgreSQL
then skips parsing it; with ``plan_cache_mode = force_generic_plan`` it plans it once for any
parameters too. At a school's size planning was most of the SQL time of the signed-in pages (the 待办
statement: 6 ms to plan, 1 ms to run). But psycopg deallocates every prepared statement of a
connection on ROLLBACK, which is how a request's session ended, whatever it did: nothing prepared
outlived its request. A transaction that wrote nothing ends the same whether committed or rolled back,
so such a request commits (:func:`_end_read_only_transaction`), and the connection keeps what it
prepared.

"Wrote nothing" is what the session saw: no flush, and no statement run through it that was not a
SELECT (``text()`` counts as a write). Anything else — a failed request, a write, an object changed
and not flushed — ends with ROLLBACK as before.

A plan made for any value cannot use a partial index whose condition is a bound value: a statement
that needs one writes the value into its text (``literal(..., literal_execute=True)``).

Statements built once per process and run for every request take what changes between requests — the
time, the user — as values read when they run (:func:`read_as_run`).

A round trip to the server is the price of every statement (about 0.1 ms on a web node beside its
database, more across a network), and SQLAlchemy's ``pool_pre_ping`` adds one to every request to
ask whether the connection is still alive. A connection that served a request moments ago almost
always is, so only a connection idle for :data:`PING_AFTER_IDLE` seconds is asked (:func:`_ping_if_idle`)
— when a restarted server, a failover or a firewall's idle timeout may have closed it. The price: a
connection that died within those seconds fails the one request that finds it (pre-ping would have
retried it), and SQLAlchemy then replaces every connection of the pool.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask
from sqlalchemy import BindParameter, Engine, event
from sqlalchemy.exc import InvalidatePoolError, SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session

from .extensions import db

SETTINGS = {
    # PostgreSQL compiles a plan to machine code when its estimated cost is high. The lists' effective
    # state (a CASE over EXISTS subqueries) is costed as if evaluated on every row, so a 30 ms query
    # at a school's size spent 290 ms compiling.
    "jit": "off",
    # A statement the connection prepared is planned once for any parameters.
    "plan_cache_mode": "force_generic_plan",
    # Parallel workers take about 5 ms to start, and CPU from the other requests: a plan that does not
    # know its LIMIT's value (a generic one) reached for them to read 21 rows of the verification queue.
    "max_parallel_workers_per_gather": "0",
}
# Statements a connection keeps prepared (psycopg's default is 100, and it counts the runs of the
# statements not yet prepared within the same bound). The pages the bench measures send 140 different
# statements: a worker serving them all in turn never ran one five times before its count was dropped,
# and prepared only the dozen that every page sends. About 90 kB of server memory each.
PREPARED_MAX = 500
# Seconds a pooled connection may sit unused before it is asked whether it is alive.
PING_AFTER_IDLE = 10.0
_WROTE = "transaction_wrote"
_IDLE_SINCE = "idle_since"


def configure(config) -> None:
    """Connect to PostgreSQL with :data:`SETTINGS` (before the engine is made)."""
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
        settings = " ".join(f"-c {name}={value}" for name, value in SETTINGS.items())
        options["connect_args"] = {**options.get("connect_args", {}), "options": settings}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _keep_prepared(dbapi_connection, connection_record) -> None:
    if hasattr(dbapi_connection, "prepared_max"):  # psycopg's; SQLite prepares nothing on a server
        dbapi_connection.prepared_max = PREPARED_MAX


def _note_checkin(dbapi_connection, connection_record) -> None:
    connection_record.info[_IDLE_SINCE] = time.monotonic()


def _ping_if_idle(engine: Engine) -> Callable:
    def ping(dbapi_connection, connection_record, connection_proxy) -> None:
        idle_since = connection_record.info.pop(_IDLE_SINCE, None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE:
            return  # just connected, or in use moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # As pre-ping does: the server went away, so every pooled connection is replaced, and the
            # pool hands out a new one for this checkout.
            raise InvalidatePoolError() from error

    return ping


def _note_flush(session: Session, flush_context, instances) -> None:
    session.info[_WROTE] = True


def _note_statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


def _end_read_only_transaction(exc: BaseException | None) -> None:
    if exc is not None or not db.session.registry.has():
        return
    session = db.session()
    if session.info.get(_WROTE) or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:  # a commit would flush them
        return
    # What the request loaded stays loaded, as a rollback at close would leave it: something may read
    # it after the context ends (a command, a test).
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    except SQLAlchemyError:  # nothing to lose: the session's own teardown rolls back what is left
        session.rollback()
    finally:
        session.expire_on_commit = expiring


def init_app(app: Flask) -> None:
    with app.app_context():
        engine: Engine = db.engine
    event.listen(engine, "connect", _keep_prepared)
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _ping_if_idle(engine))
    if not event.contains(Session, "before_flush", _note_flush):
        event.listen(Session, "before_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_transaction_end", _forget)
    # Flask runs the app context's teardown functions last registered first: this one before the
    # session's own (registered by db.init_app), which closes the session.
    app.teardown_appcontext(_end_read_only_transaction)


class ReadAsRun(BindParameter):
    """A bound value read each time its statement runs (see :func:`read_as_run`)."""

    # Its own class, so its own compiled statements: SQLAlchemy's cache key of a bound value leaves out
    # whether it has a callable, and a statement compiled first with a fixed value in its place would
    # be reused with this one and read its value — None — instead of calling it.
    inherit_cache = True


def read_as_run(read: Callable[[], object], type_, *, expanding: bool = False) -> BindParameter:
    """A statement's bound value that calls ``read`` each time the statement executes: a statement
    built once per process and run for every request compares with the present, and with the user,
    as it runs, never with those of the request that built it."""
    return ReadAsRun(None, callable_=read, type_=type_, unique=True, expanding=expanding)
