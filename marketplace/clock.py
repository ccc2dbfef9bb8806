"""The one clock. Everything that asks "what time is it" asks :func:`now`.

Tests move time with :func:`set` and :func:`shift`; the served app in browser tests runs in the same
process, so it sees the same time. Times are aware datetimes in UTC.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

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
