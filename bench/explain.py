"""The plan check of ``make bench``: every SELECT a page sent while it was counted is run again, and a
sequential scan of a table holding more than :data:`BIG_TABLE` rows in its plan fails the run. A page
that reads a big table without an index is fast on the demo and slow at a school's size; the plan
says so before the load run has to.

The plan checked is the one the app runs: the app's connections prepare what they run often and plan
it once for any parameters (a generic plan, see marketplace/database.py), so each statement is
run here as a prepared statement on such a connection, and PostgreSQL's ``auto_explain`` sends back
the plan it executed (``EXPLAIN`` itself would plan for the values given).

The slowest statements are printed with their time, so a slow page shows which of its queries to read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import click
import sqlalchemy as sa

BIG_TABLE = 100_000
SLOW_MS = 20.0  # statements slower than this are listed under their page
# The plan of every statement the session runs comes back as a notice (auto_explain is a module of
# PostgreSQL's own, loaded into this session only).
EXPLAINING = (
    "LOAD 'auto_explain'",
    "SET auto_explain.log_min_duration = 0",
    "SET auto_explain.log_analyze = on",
    "SET auto_explain.log_format = json",
    "SET auto_explain.log_level = notice",
    "SET client_min_messages = notice",
)
DURATION = re.compile(r"duration: ([0-9.]+) ms")


@dataclass
class Plan:
    statement: str
    milliseconds: float
    big_scans: list[str] = field(default_factory=list)  # "table (rows)" for each big sequential scan


def explain(connection: sa.Connection, captured: list[tuple[str, object]]) -> list[Plan]:
    """The plan of each captured SELECT (statement text and DBAPI parameters, as the page sent them),
    each in a transaction rolled back afterwards: the plan's times are measured by running it. The
    connection is closed afterwards rather than handed back to the pool with its notices on."""
    sizes = _table_sizes(connection)
    plans = []
    raw = connection.connection.driver_connection
    raw.rollback()
    raw.autocommit = True
    for setting in EXPLAINING:
        raw.execute(setting)
    raw.autocommit = False
    notices: list[str] = []
    raw.add_notice_handler(lambda diagnostic: notices.append(diagnostic.message_primary or ""))
    try:
        for text, parameters in captured:
            if not text.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            notices.clear()
            with raw.cursor() as cursor:
                cursor.execute(text, parameters or None, prepare=True)
            raw.rollback()
            head, _, document = notices[-1].partition("\n")
            root = json.loads(document)
            scans = [
                f"{node['Relation Name']} ({sizes[node['Relation Name']]:,} rows)"
                for node in _nodes(root["Plan"])
                if node["Node Type"] == "Seq Scan" and sizes.get(node.get("Relation Name"), 0) > BIG_TABLE
            ]
            plans.append(Plan(" ".join(text.split()), float(DURATION.search(head).group(1)), scans))
    finally:
        connection.invalidate()
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
