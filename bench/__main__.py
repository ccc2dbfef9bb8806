"""``python -m bench`` (what ``make bench`` runs): seed a school-scale database, check that every page
renders and count what one request of each costs, serve the app and the floor with gunicorn, drive
them with wrk, fire a burst of sign-ups at one shift and draw a large lottery, measure the memory of the
long background jobs, serve two nodes and check what they share, then print the tables; they are saved
under bench/results/ after each step, as far as the run has come. ``--only`` runs one of the steps."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import click
import redis

DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/jiebang_bench"
REDIS_URL = "redis://127.0.0.1:6379/13"
STEPS = ("pages", "burst", "memory", "nodes")


def environment(database_url: str) -> dict[str, str]:
    """What the app needs to run as in production, for the in-process checks and for gunicorn."""
    return {
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "MAIL_SUPPRESS_SEND": "1",
        "INSTANCE_PATH": str(Path(__file__).parent / "results" / "instance"),
        "FLOOR_DATABASE_URL": f"{database_url}_floor",
        # As deployed: Redis holds the queue, the rate limits and the public page cache. A database of
        # its own, emptied before the load run, so no page cached by an earlier run is served.
        "REDIS_URL": REDIS_URL,
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
@click.option("--burst-students", type=click.IntRange(2), default=1000, show_default=True)
@click.option("--burst-seats", type=click.IntRange(1), default=100, show_default=True)
@click.option("--burst-connections", type=click.IntRange(1), default=200, show_default=True)
@click.option("--draw-entries", type=click.IntRange(1), default=500, show_default=True)
def main(
    scale: float,
    seconds: int,
    connections: int,
    database_url: str,
    reuse: bool,
    only: tuple[str, ...],
    burst_students: int,
    burst_seats: int,
    burst_connections: int,
    draw_entries: int,
) -> None:
    steps = set(only or STEPS)
    env = environment(database_url)
    os.environ.update(env)
    # config.py reads the environment when it is first imported, so the app comes after it is set.
    from marketplace import create_app

    from . import burst, explain, load, memory, nodes, pages, report, seed
    from .floor import prepare

    seed_seconds = None
    if not reuse:
        started = time.perf_counter()
        seed.recreate_database(database_url)
        with create_app().app_context():
            seed.build(scale)
        seed_seconds = time.perf_counter() - started
        click.echo(f"seeded in {seed_seconds:.0f} s", err=True)
    # What a page costs to render, counted with the page cache off (the load run has it on).
    app = create_app({"PAGE_CACHE_URL": None})
    with app.app_context():
        rows = seed.row_counts()
    measured, costs, burst_run, peaks, checks = [], {}, None, None, None
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

    def save():
        # After each step, so that a step that fails leaves the tables of the steps before it.
        return report.write(report.rows(measured, costs), about, burst_run, peaks, checks)

    if steps & {"pages", "burst"}:
        costs, cookies = pages.check(app) if "pages" in steps else ({}, {})
        explain.report(costs)
        prepare(env["FLOOR_DATABASE_URL"])
        redis.Redis.from_url(REDIS_URL).flushdb()
        with load.served(env) as bases:
            if "pages" in steps:
                measured = load.drive(list(costs), cookies, bases, seconds, connections)
                save()
            if "burst" in steps:
                burst_run = burst.run(
                    app,
                    bases[0],
                    students=burst_students,
                    seats=burst_seats,
                    connections=burst_connections,
                    entries=draw_entries,
                )
                save()
    if "memory" in steps:
        click.echo(f"memory: peak resident memory of a worker process (bound {memory.LIMIT_MB} MB)", err=True)
        with app.app_context():
            peaks = memory.measure()
        save()
    if "nodes" in steps:
        click.echo(f"two nodes on ports {nodes.PORTS[0]} and {nodes.PORTS[1]}", err=True)
        checks = nodes.run(env, app)
    text, markdown, data = save()
    click.echo(text)
    click.echo(f"written to {markdown} and {data}", err=True)
    problems = burst_run.problems() if burst_run is not None else []
    problems += [f"two nodes: {check.name} failed" for check in checks or () if not check.passed]
    problems += [
        f"memory: {peak.job} over {memory.LIMIT_MB} MB"
        for peak in (peaks[0] if peaks else ())
        if not peak.within
    ]
    if problems:
        raise click.ClickException("; ".join(problems))


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


if __name__ == "__main__":
    main()
