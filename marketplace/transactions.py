"""How a request's transaction ends: with COMMIT when it only read.

psycopg prepares a statement on the server once a connection has run it five times, and PostgreSQL
then skips parsing and planning it; at a school's size planning was most of the SQL time of the
signed-in pages (the 待办 statement: 6 ms to plan, 1 ms to run). But psycopg deallocates every
prepared statement of a connection on ROLLBACK, which is how a request's session ended, whatever it
did: nothing prepared outlived its request. A transaction that wrote nothing ends the same whether
committed or rolled back, so such a request commits, and the connection keeps what it prepared.

"Wrote nothing" is what the session saw: no flush, and no statement run through it that was not a
SELECT (``text()`` counts as a write). Anything else — a failed request, a write, an object changed
and not flushed — ends with ROLLBACK as before.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session

from .extensions import db

_WROTE = "transaction_wrote"


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
    if not event.contains(Session, "before_flush", _note_flush):
        event.listen(Session, "before_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_transaction_end", _forget)
    # Flask runs the app context's teardown functions last registered first: this one before the
    # session's own (registered by db.init_app), which closes the session.
    app.teardown_appcontext(_end_read_only_transaction)
