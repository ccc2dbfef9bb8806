"""``python -m bench`` (what ``make bench`` runs): seed a school-scale database, check that every page
renders and count what one request of each costs, serve the app and the floor with gunicorn, drive
them with wrk, measure the memory of the long background jobs, serve two nodes and check what they
share, then print the tables and save them under bench/results/. ``--only`` runs one of the steps."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import click

DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/jiebang_bench"
STEPS = ("pages", "memory", "nodes")


def environment(database_url: str) -> dict[str, str]:
    """What the app needs to run as in production, for the in-process checks and for gunicorn."""
    return {
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "MAIL_SUPPRESS_SEND": "1",
        "INSTANCE_PATH": str(Path(__file__).parent / "results" / "instance"),
        "FLOOR_DATABASE_URL": f"{database_url}_floor",
    }


@click.command()
@click.option("--scale", type=click.FloatRange(0, min_open=True), default=1.0, show_default=True)
@click.option("--seconds", type=click.IntRange(1), default=10, show_default=True, help="Each wrk run.")
@click.option("--connections", type=click.IntRange(1), default=8, show_default=True)
@click.option("--database-url", default=DATABASE_URL, show_default=True, help="Dropped and created again.")
@click.option("--reuse", is_flag=True, help="Measure the database the last run seeded instead of seeding.")
@click.option(
    "--only",
    type=click.Choice(STEPS),
    multiple=True,
    help="Run this step (repeat for several); all of them by default.",
)
def main(
    scale: float, seconds: int, connections: int, database_url: str, reuse: bool, only: tuple[str, ...]
) -> None:
    steps = set(only or STEPS)
    env = environment(database_url)
    os.environ.update(env)
    # config.py reads the environment when it is first imported, so the app comes after it is set.
    from marketplace import create_app

    from . import load, memory, nodes, pages, report, seed
    from .floor import prepare

    seed_seconds = None
    if not reuse:
        started = time.perf_counter()
        seed.recreate_database(database_url)
        with create_app().app_context():
            seed.build(scale)
        seed_seconds = time.perf_counter() - started
        click.echo(f"seeded in {seed_seconds:.0f} s", err=True)
    app = create_app()
    with app.app_context():
        rows = seed.row_counts()
    measured, costs, peaks, checks = [], {}, None, None
    if "pages" in steps:
        costs, cookies = pages.check(app)
        prepare(env["FLOOR_DATABASE_URL"])
        with load.served(env) as bases:
            measured = load.drive(list(costs), cookies, bases, seconds, connections)
    if "memory" in steps:
        click.echo(f"memory: peak resident memory of a worker process (bound {memory.LIMIT_MB} MB)", err=True)
        with app.app_context():
            peaks = memory.measure()
    if "nodes" in steps:
        click.echo(f"two nodes on ports {nodes.PORTS[0]} and {nodes.PORTS[1]}", err=True)
        checks = nodes.run(env, app)
    about = {
        "scale": None if reuse else scale,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "seconds": seconds,
        "connections": connections,
        "seed_seconds": seed_seconds,
        "rows": rows,
    }
    text, markdown, data = report.write(report.rows(measured, costs), about, peaks, checks)
    click.echo(text)
    click.echo(f"written to {markdown} and {data}", err=True)
    if checks and not all(check.passed for check in checks) or peaks and not all(p.within for p in peaks[0]):
        raise SystemExit(1)


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


if __name__ == "__main__":
    main()
