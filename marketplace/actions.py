"""待办 (what to act on now): the rows of the home page's sections and the staff dashboard.

A *kind* of row is one small function of the area that owns its data, decorated with :func:`kind`:
it returns a SELECT of four labelled columns — ``ref`` (the id its link needs), ``title`` (what the
row names), ``at`` (the moment that makes it urgent: a deadline, or when it began to wait; NULL sorts
last) and ``n`` (how many it stands for, 1 for a single thing). A count is an aggregate in that
SELECT (GROUP BY, HAVING), never rows loaded and counted. A kind that cannot apply to every user
says to whom it applies (``applies``: a manager, a union's staff), and is left out for the others.

:func:`gather` asks a section's kinds in ONE statement — a UNION ALL of the kinds' selects, each
limited to the rows shown — most urgent first, at most ``limit`` rows, so a section costs one
statement and a handful of tuples however much data lies below.

The statement is built once per process, not per request: building a section's SELECTs cost more
than running them (a host's home page spent 18 of its 44 ms building three). So a kind never reads
the user or the clock as it builds; it is given :data:`VIEWER`, whose attributes are bound values
read from the user the statement runs for, and compares with :data:`NOW`, :data:`TODAY` or
:func:`ago`, read from the clock as it runs. Adding a row kind is one function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from flask_babel import get_locale
from sqlalchemy import (
    BindParameter,
    Date,
    Integer,
    Select,
    String,
    cast,
    literal,
    select,
    union_all,
)

from . import clock, permissions
from .database import read_as_run
from .extensions import db
from .timeutil import UTCDateTime, start_of_local_day

SHOWN = 5  # rows a section shows; the section links to its full list
# A count above this reads "99+", as on a phone's badge: a kind may stop counting there, so that a long
# queue costs its home page row no more than a short one.
MOST = 99


def always(user) -> bool:
    return True


@dataclass(frozen=True, eq=False)
class Kind:
    """One kind of action row: its query, its words (``%(title)s``, ``%(n)s``), its link, how its
    moment reads (``%(at)s``; None: the moment only orders the rows), and to whom it applies."""

    name: str
    text: object
    link: Callable[[int], str]
    when: object | None
    query: Callable[[Viewer], Select]
    applies: Callable[[object], bool] = always


@dataclass(frozen=True)
class Action:
    """A row the home page shows: a link to where the user acts."""

    kind: str
    text: str
    href: str
    at: datetime | None
    when: object | None
    n: int


def kind(
    name: str, text, link: Callable[[int], str], when=None, applies: Callable[[object], bool] = always
) -> Callable[[Callable], Kind]:
    """Declare a kind of row whose query is the decorated function."""

    def declare(query: Callable[[Viewer], Select]) -> Kind:
        return Kind(name, text, link, when, query, applies)

    return declare


def columns(ref, title, at, n=None) -> tuple:
    """A kind's four labelled columns: ``ref`` as text, ``n`` 1 unless a count is given."""
    return (
        cast(ref, String).label("ref"),
        title.label("title"),
        at.label("at"),
        (literal(1) if n is None else n).label("n"),
    )


# -- who and when, as the statement runs ----------------------------------------------------------------

_viewing: ContextVar = ContextVar("viewing")


@contextmanager
def viewing(user) -> Iterator[None]:
    """Statements run inside read :data:`VIEWER`'s values (and :func:`of_viewer`'s) from ``user``."""
    token = _viewing.set(user)
    try:
        yield
    finally:
        _viewing.reset(token)


def of_viewer(read: Callable[[object], object], type_=None, *, expanding: bool = False) -> BindParameter:
    """A bound value read, as the statement runs, from the user of :func:`viewing` (``read(user)``)."""

    def value():
        return read(_viewing.get())

    return read_as_run(value, type_, expanding=expanding)


def ids_of_viewer(read: Callable[[object], set[int]]) -> BindParameter:
    """Ids read, as the statement runs, from the user of :func:`viewing`, as an IN list."""
    return of_viewer(lambda user: sorted(read(user)), Integer(), expanding=True)


class Viewer:
    """The user a kind's query is built for, as bound values: ``id``, and the organizations whose
    rows they see. It stands where a user would in the areas' own helpers (``user.id``)."""

    id = of_viewer(lambda user: user.id, Integer())
    managed_org_ids = ids_of_viewer(permissions.managed_org_ids)
    staff_union_ids = ids_of_viewer(permissions.staff_union_ids)
    member_org_ids = ids_of_viewer(lambda user: {m.org_id for m in permissions.active_memberships(user)})


VIEWER = Viewer()
NOW = read_as_run(clock.now, UTCDateTime())
TODAY = read_as_run(clock.today_local, Date())


def ago(**delta) -> BindParameter:
    """The moment ``timedelta(**delta)`` before now, as the statement runs."""
    return read_as_run(lambda: clock.now() - timedelta(**delta), UTCDateTime())


def start_of_today(days: int = 0) -> BindParameter:
    """Midnight of today (``days`` later) on the school's calendar, as the statement runs."""
    return read_as_run(lambda: start_of_local_day(clock.today_local()) + timedelta(days=days), UTCDateTime())


def manages(user) -> bool:
    """A kind for an organization's managers."""
    return bool(permissions.managed_org_ids(user))


def works_for_union(user) -> bool:
    """A kind for the staff of a school-level union."""
    return bool(permissions.staff_union_ids(user))


# -- the section's statement ----------------------------------------------------------------------------


def gather(user, kinds: Sequence[Kind], limit: int = SHOWN) -> list[Action]:
    """The ``limit`` most urgent rows of ``kinds`` for ``user``: one statement, none when no kind
    applies."""
    applicable = tuple(k for k in kinds if k.applies(user))
    if not applicable:
        return []
    # Words a kind writes into its SELECT (a status's label) are in the reader's language.
    stmt = _statement(applicable, limit, str(get_locale()))
    with viewing(user):
        found = db.session.execute(stmt).all()
    by_name = {k.name: k for k in applicable}
    return [_action(by_name[row.kind], row) for row in found]


@lru_cache(maxsize=256)
def _statement(kinds: tuple[Kind, ...], limit: int, locale: str) -> Select:
    parts = []
    for k in kinds:
        stmt = k.query(VIEWER)
        # Each kind's own most urgent rows: a LIMIT with no order would keep any five of them.
        at, ref = stmt.selected_columns.at, stmt.selected_columns.ref
        sub = stmt.order_by(at.is_(None), at, ref).limit(limit).subquery()
        parts.append(select(literal(k.name).label("kind"), sub.c.ref, sub.c.title, sub.c.at, sub.c.n))
    rows = union_all(*parts).subquery()
    return select(rows).order_by(rows.c.at.is_(None), rows.c.at, rows.c.kind, rows.c.ref).limit(limit)


def shown(n: int) -> int | str:
    """A count as a row or a note shows it: past ``MOST``, "99+"."""
    return f"{MOST}+" if n > MOST else n


def _action(k: Kind, row) -> Action:
    n = int(row.n or 0)
    text = str(k.text) % {"title": row.title, "n": shown(n)}
    return Action(k.name, text, k.link(row.ref), row.at, k.when, n)
