"""The plan check of ``make bench``: every SELECT a page sent while it was counted is run again under
``EXPLAIN (ANALYZE, FORMAT JSON)``, and a sequential scan of a table holding more than
:data:`BIG_TABLE` rows fails the run. A page that reads a big table without an index is fast on the
demo and slow at a school's size; the plan says so before the load run has to.

The slowest statements are printed with their time, so a slow page shows which of its queries to read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import click
import sqlalchemy as sa

BIG_TABLE = 100_000
SLOW_MS = 20.0  # statements slower than this are listed under their page


@dataclass
class Plan:
    statement: str
    milliseconds: float
    big_scans: list[str] = field(default_factory=list)  # "table (rows)" for each big sequential scan


def explain(connection: sa.Connection, captured: list[tuple[str, object]]) -> list[Plan]:
    """The plan of each captured SELECT (statement text and DBAPI parameters, as the page sent them),
    in a transaction rolled back afterwards: ANALYZE executes the statement."""
    sizes = _table_sizes(connection)
    plans = []
    raw = connection.connection.driver_connection
    for text, parameters in captured:
        if not text.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        with raw.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + text, parameters or None)
            (document,) = cursor.fetchone()
        raw.rollback()
        if isinstance(document, str):
            document = json.loads(document)
        root = document[0]
        scans = [
            f"{node['Relation Name']} ({sizes[node['Relation Name']]:,} rows)"
            for node in _nodes(root["Plan"])
            if node["Node Type"] == "Seq Scan" and sizes.get(node.get("Relation Name"), 0) > BIG_TABLE
        ]
        plans.append(Plan(" ".join(text.split()), root["Execution Time"], scans))
    return plans


def _nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def _table_sizes(connection: sa.Connection) -> dict[str, int]:
    rows = connection.execute(
        sa.text("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' AND reltuples > 0")
    )
    return dict(rows.all())


def report(costs: dict) -> None:
    """Print each page's slow statements; fail on a sequential scan of a big table."""
    failures = []
    for page, cost in costs.items():
        for plan in sorted(cost.plans, key=lambda p: -p.milliseconds):
            if plan.milliseconds >= SLOW_MS or plan.big_scans:
                click.echo(f"  {page.name}: {plan.milliseconds:.1f} ms  {plan.statement[:160]}", err=True)
            for scan in plan.big_scans:
                failures.append(f"{page.name}: sequential scan of {scan} in: {plan.statement[:300]}")
    if failures:
        raise click.ClickException("plans read whole big tables:\n" + "\n".join(failures))
    click.echo(f"plans checked: no sequential scan of a table over {BIG_TABLE:,} rows", err=True)
