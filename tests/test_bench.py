"""``make bench`` at a tiny scale: its bulk seed keeps to the schema as the schema changes (every CHECK
constraint and, added back at the end, every foreign key), every page it measures renders, its burst
of sign-ups runs against a real app server, and the roster its memory step imports passes the
roster's check."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from bench import burst, load, pages, seed
from bench.__main__ import environment
from bench.memory import roster_file
from marketplace import clock, create_app
from marketplace.extensions import db
from marketplace.projects.models import ProjectState
from marketplace.queue import bind_app
from marketplace.roster import checking, files
from tests import factories

SCALE = 0.001


@pytest.fixture(scope="module")
def bench_url(app):
    """A database of its own, seeded at ``SCALE`` once for this module, on the running clock as
    ``make bench`` seeds it (the server the burst goes through knows no other)."""
    clock.reset()
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    url = url.set(database=f"{url.database}_bench_seed").render_as_string(hide_password=False)
    seed.recreate_database(url)
    bench = create_app({"SQLALCHEMY_DATABASE_URI": url})
    try:
        with bench.app_context():
            seed.build(SCALE)
    finally:
        _done_with(bench, app)
    return url


@pytest.fixture
def running_clock():
    clock.reset()


def _done_with(bench, app):
    bind_app(app)  # the factory bound the task queue to the bench app
    with bench.app_context():
        db.engine.dispose()


@pytest.mark.postgres
@pytest.mark.commits  # the seed commits, in a database of its own
def test_the_bench_seed_keeps_to_the_schema_and_every_measured_page_renders(app, bench_url, running_clock):
    bench = create_app({"SQLALCHEMY_DATABASE_URI": bench_url})
    try:
        with bench.app_context():
            rows = seed.row_counts()
            states = set(db.session.scalars(sa.text("SELECT DISTINCT state FROM project")))
        costs, cookies = pages.check(bench)
    finally:
        _done_with(bench, app)

    assert states == {state.value for state in ProjectState}
    assert rows["credit_record"] == rows["attendance"] == seed.size("credit_records", SCALE)
    assert rows["audit_entry"] >= seed.size("audit_entries", SCALE)
    assert {page.name for page in costs} >= {"transcript PDF", "roster", "review page", "audit log"}
    assert all(cost.statements > 0 for page, cost in costs.items() if page.role is not None)
    assert set(cookies) == set(pages.LOGINS)


@pytest.mark.postgres
@pytest.mark.commits  # through a gunicorn of its own, on the seeded database
def test_a_burst_of_signups_through_the_server_fills_the_seats_and_queues_the_rest(
    app, bench_url, running_clock, tmp_path
):
    env = {**environment(bench_url), "INSTANCE_PATH": str(tmp_path)}
    # The sessions are signed in process with the server's key.
    bench = create_app({"SQLALCHEMY_DATABASE_URI": bench_url, "SECRET_KEY": env["SECRET_KEY"]})
    try:
        with load.serving(load.APP, _free_port(), "/healthz", env) as base:
            run = burst.run(bench, base, students=30, seats=5, connections=10, entries=12)
    finally:
        _done_with(bench, app)

    assert (run.accepted, run.waiting) == (5, 25)
    assert run.problems() == []
    assert run.statements_per_signup > 0 and run.ratio > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_memory_steps_roster_passes_the_check_with_a_third_joining_organizations(db, tmp_path):
    colleges = [factories.college().name, factories.college().name]
    orgs = [factories.org().name]
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_file("M0", 30, colleges, orgs))

    result = checking.check_table(files.read_table(path))

    assert result.valid, result.errors[:3]
    assert (result.total, len(result.people), len(result.appointments)) == (30, 30, 10)
