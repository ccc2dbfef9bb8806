"""Column helpers shared by every area's models."""

from __future__ import annotations

import enum
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Enum as SAEnum
from sqlalchemy import Integer, String, select, update
from sqlalchemy.orm import Mapped, aliased, mapped_column

from . import clock
from .extensions import db
from .timeutil import UTCDateTime

__all__ = ["UTCDateTime", "enum_type", "public_id", "utcnow"]


def enum_type(enum_cls: type[enum.Enum], length: int = 32) -> SAEnum:
    """Store an enum by its value as a plain string column (portable, and readable in SQL)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def utcnow():
    return clock.now()


@cache
def second_alias(model):
    """``model`` under a second name, for a statement that reads its table twice (a need beside the
    student's own needs). One per model and process: a fresh alias builds its column proxies again on
    every request. Called at request time, once the mappers are configured."""
    return aliased(model)


def public_id() -> str:
    """A random, unguessable id for things whose count or order must not leak."""
    return secrets.token_urlsafe(12)


PublicId = String(24)


def claim_once(model, row_id: int, marker: str, value) -> bool:
    """Set ``model.<marker>`` on one row if it is still NULL, and say whether this call did it.

    Periodic steps (reminders, no-show marking) claim each row this way before acting on it, so two
    workers running the same step at once never act twice: the database lets one UPDATE win."""
    column = getattr(model, marker)
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, column.is_(None))
        .values({marker: value})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def claim_due(model, marker: str, deadline, before: timedelta, now: datetime, *where) -> Iterator:
    """The rows of ``model`` whose ``deadline`` is ahead of ``now`` by at most ``before`` and whose
    ``marker`` is still NULL (and that meet ``where``), each claimed with :func:`claim_once` before it
    is yielded: a reminder "so long before the deadline, once"."""
    due = db.session.scalars(
        select(model.id).where(
            getattr(model, marker).is_(None), deadline > now, deadline <= now + before, *where
        )
    ).all()
    for row_id in due:
        if claim_once(model, row_id, marker, now):
            yield db.session.get(model, row_id)


class StoredAttachment:
    """The columns of an uploaded file kept by :mod:`marketplace.bids.files` (附件): its own name, the
    random name it is stored under, what it is, and when it was uploaded or removed (removal keeps the
    row, for the record)."""

    public_id: Mapped[str] = mapped_column(PublicId, unique=True, default=public_id)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
