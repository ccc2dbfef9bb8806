"""Pages of a long list read by their sort key (keyset pagination, 按位置翻页).

``OFFSET 40000`` makes the database read and throw away forty thousand rows; a list that may grow to
millions (the audit log, the verification queue) instead remembers where a page ended — the sort key
of its last row — and asks for the rows after it, which an index answers at once however deep the
page. Such a list offers "newer" and "older" instead of page numbers, and counts its rows only up to
:data:`COUNT_CAP` ("1,000+"): an exact count of millions would cost more than the page itself.

The cursor in the URL is the key's values joined by ``~`` (an ISO timestamp, an id). A cursor that
does not parse is ignored and the first page shown: a hand-edited URL is not an error worth a 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import request
from sqlalchemy import Select, func, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from .extensions import db

COUNT_CAP = 1000
SEPARATOR = "~"


@dataclass
class SeekPage:
    """One page: its rows, and the cursors of the pages next to it (None where there is none)."""

    items: list
    before: str | None  # the cursor of the page that comes before this one in the list's order
    after: str | None  # and of the page after it
    total: int | None = None  # capped at COUNT_CAP + 1 (shown as "1,000+"); None when not counted

    @property
    def shown_total(self) -> str:
        """The count as a page shows it: "1,000+" past the cap."""
        return f"{COUNT_CAP:,}+" if self.total > COUNT_CAP else f"{self.total:,}"


def seek(
    stmt: Select,
    keys: tuple[InstrumentedAttribute, ...],
    *,
    descending: bool,
    per_page: int,
    counted: bool = False,
) -> SeekPage:
    """The page of ``stmt`` (a select of entities) that the request's ``after``/``before`` cursor
    names, ordered by ``keys`` (unique together; the last is the id) instead of any order ``stmt``
    has. ``counted`` adds the capped count of every row."""
    stmt = stmt.order_by(None)
    after, before = _cursor("after", keys), _cursor("before", keys)
    # Counted in the list's order: the index that orders the list then also bounds the count.
    total = capped_count(stmt.order_by(*_order(keys, descending))) if counted else None
    row = tuple_(*keys)
    # Walking backwards (the "before" link) reads in the opposite order, then turns the page round.
    backwards = before is not None
    if after is not None:
        stmt = stmt.where(row < _values(after, keys) if descending else row > _values(after, keys))
    elif backwards:
        stmt = stmt.where(row > _values(before, keys) if descending else row < _values(before, keys))
    order = _order(keys, descending != backwards)
    rows = list(db.session.scalars(stmt.order_by(*order).limit(per_page + 1)).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    first, last = (_encode(rows[0], keys), _encode(rows[-1], keys)) if rows else (None, None)
    if backwards:
        page = SeekPage(rows, before=first if more else None, after=last)
    else:
        page = SeekPage(rows, before=first if after is not None else None, after=last if more else None)
    page.total = total
    return page


def capped_count(stmt: Select) -> int:
    """How many rows ``stmt`` selects, counting no further than COUNT_CAP + 1."""
    limited = stmt.with_only_columns(literal(1), maintain_column_froms=True)
    return db.session.scalar(select(func.count()).select_from(limited.limit(COUNT_CAP + 1).subquery()))


def _values(values: tuple[Any, ...], keys: tuple[InstrumentedAttribute, ...]):
    return tuple_(*(literal(value, key.type) for value, key in zip(values, keys, strict=True)))


def _order(keys: tuple[InstrumentedAttribute, ...], descending: bool) -> list:
    return [key.desc() if descending else key.asc() for key in keys]


def _cursor(name: str, keys: tuple[InstrumentedAttribute, ...]) -> tuple[Any, ...] | None:
    text = request.args.get(name, "")
    parts = text.split(SEPARATOR)
    if not text or len(parts) != len(keys):
        return None
    try:
        return tuple(_parse(key, part) for key, part in zip(keys, parts, strict=True))
    except ValueError:
        return None


def _parse(key: InstrumentedAttribute, text: str) -> Any:
    column_type = getattr(key.type, "impl", key.type)  # a TypeDecorator's python type is its impl's
    kind = column_type.python_type
    if kind is datetime:
        return datetime.fromisoformat(text)
    if kind is int:
        return int(text)
    return text


def _encode(entity: Any, keys: tuple[InstrumentedAttribute, ...]) -> str:
    values = (getattr(entity, key.key) for key in keys)
    return SEPARATOR.join(v.isoformat() if isinstance(v, datetime) else str(v) for v in values)
