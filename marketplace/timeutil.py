"""Storing UTC, showing Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

SCHOOL_TZ = ZoneInfo("Asia/Shanghai")


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database (SQLite keeps no zone, so we store naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use clock.now() or an aware value")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def local(value: datetime) -> datetime:
    return value.astimezone(SCHOOL_TZ)


def start_of_local_day(day: date) -> datetime:
    """The UTC instant at which ``day`` begins in the school's time zone."""
    return datetime.combine(day, time.min, tzinfo=SCHOOL_TZ).astimezone(UTC)
