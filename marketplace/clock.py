"""The one clock. Everything that asks "what time is it" asks :func:`now`.

Tests move time with :func:`set` and :func:`shift`; the served app in browser tests runs in the same
process, so it sees the same time. Times are aware datetimes in UTC.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import BindParameter, bindparam

from .timeutil import SCHOOL_TZ

_lock = threading.Lock()
_frozen: datetime | None = None
_offset = timedelta(0)


def now() -> datetime:
    with _lock:
        if _frozen is not None:
            return _frozen
        return datetime.now(UTC) + _offset


def set(moment: datetime) -> None:  # noqa: A001 - reads as clock.set(...)
    """Freeze the clock at ``moment`` (aware, or naive meaning UTC)."""
    global _frozen
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    with _lock:
        _frozen = moment.astimezone(UTC)


def shift(delta: timedelta) -> None:
    """Move the clock by ``delta``, frozen or running."""
    global _frozen, _offset
    with _lock:
        if _frozen is not None:
            _frozen = _frozen + delta
        else:
            _offset += delta


def reset() -> None:
    global _frozen, _offset
    with _lock:
        _frozen = None
        _offset = timedelta(0)


def today_local():
    """Today's date on the school's calendar (Asia/Shanghai)."""
    return now().astimezone(SCHOOL_TZ).date()


def as_run(read: Callable[[], object], type_) -> BindParameter:
    """A statement's bound value that calls ``read`` each time the statement executes: a statement
    built once per process and run for every request compares with the present as it runs, never
    with the moment it was built."""
    return bindparam(None, callable_=read, type_=type_, unique=True)
