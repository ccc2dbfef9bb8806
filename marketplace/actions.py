"""待办 (what to act on now): the rows of the home page's sections and the staff dashboard.

A *kind* of row is one small function of the area that owns its data, decorated with :func:`kind`:
it takes the user and returns a SELECT of four labelled columns — ``ref`` (the id its link needs),
``title`` (what the row names), ``at`` (the moment that makes it urgent: a deadline, or when it began
to wait; NULL sorts last) and ``n`` (how many it stands for, 1 for a single thing) — or None when the
kind cannot apply to this user. A count is an aggregate in that SELECT (GROUP BY, HAVING), never rows
loaded and counted.

:func:`gather` asks a section's kinds in ONE statement — a UNION ALL of the kinds' selects, each
limited to the rows shown — most urgent first, at most ``limit`` rows, so a section costs one
statement and a handful of tuples however much data lies below. Adding a row kind is one function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, String, cast, literal, select, union_all

from .extensions import db

SHOWN = 5  # rows a section shows; the section links to its full list
# A count above this reads "99+", as on a phone's badge: a kind may stop counting there, so that a long
# queue costs its home page row no more than a short one.
MOST = 99


@dataclass(frozen=True)
class Kind:
    """One kind of action row: its query, its words (``%(title)s``, ``%(n)s``), its link, and how its
    moment reads (``%(at)s``; None: the moment only orders the rows)."""

    name: str
    text: object
    link: Callable[[int], str]
    when: object | None
    query: Callable[[object], Select | None]


@dataclass(frozen=True)
class Action:
    """A row the home page shows: a link to where the user acts."""

    kind: str
    text: str
    href: str
    at: datetime | None
    when: object | None
    n: int


def kind(name: str, text, link: Callable[[int], str], when=None) -> Callable[[Callable], Kind]:
    """Declare a kind of row whose query is the decorated function."""

    def declare(query: Callable[[object], Select | None]) -> Kind:
        return Kind(name, text, link, when, query)

    return declare


def columns(ref, title, at, n=None) -> tuple:
    """A kind's four labelled columns: ``ref`` as text, ``n`` 1 unless a count is given."""
    return (
        cast(ref, String).label("ref"),
        title.label("title"),
        at.label("at"),
        (literal(1) if n is None else n).label("n"),
    )


def gather(user, kinds: Sequence[Kind], limit: int = SHOWN) -> list[Action]:
    """The ``limit`` most urgent rows of ``kinds`` for ``user``: one statement, none when no kind
    applies."""
    parts = []
    for k in kinds:
        stmt = k.query(user)
        if stmt is None:
            continue
        # Each kind's own most urgent rows: a LIMIT with no order would keep any five of them.
        at, ref = stmt.selected_columns.at, stmt.selected_columns.ref
        sub = stmt.order_by(at.is_(None), at, ref).limit(limit).subquery()
        parts.append(select(literal(k.name).label("kind"), sub.c.ref, sub.c.title, sub.c.at, sub.c.n))
    if not parts:
        return []
    rows = union_all(*parts).subquery()
    found = db.session.execute(
        select(rows).order_by(rows.c.at.is_(None), rows.c.at, rows.c.kind, rows.c.ref).limit(limit)
    ).all()
    by_name = {k.name: k for k in kinds}
    return [_action(by_name[row.kind], row) for row in found]


def _action(k: Kind, row) -> Action:
    n = int(row.n or 0)
    shown = f"{MOST}+" if n > MOST else n
    return Action(k.name, str(k.text) % {"title": row.title, "n": shown}, k.link(row.ref), row.at, k.when, n)
