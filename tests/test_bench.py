"""``make bench`` at a tiny scale: its bulk seed keeps to the schema as the schema changes (every CHECK
constraint and, added back at the end, every foreign key), every page it measures renders, and the
roster its memory step imports passes the roster's check."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bench import pages, seed
from bench.memory import roster_file
from marketplace import create_app
from marketplace.extensions import db
from marketplace.projects.models import ProjectState
from marketplace.queue import bind_app
from marketplace.roster import checking, files
from tests import factories

SCALE = 0.001


@pytest.mark.postgres
@pytest.mark.commits  # the seed commits, in a database of its own
def test_the_bench_seed_keeps_to_the_schema_and_every_measured_page_renders(app):
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    url = url.set(database=f"{url.database}_bench_seed").render_as_string(hide_password=False)
    seed.recreate_database(url)
    bench = create_app({"SQLALCHEMY_DATABASE_URI": url})
    try:
        with bench.app_context():
            seed.build(SCALE)
            rows = seed.row_counts()
            states = set(db.session.scalars(sa.text("SELECT DISTINCT state FROM project")))
        costs, cookies = pages.check(bench)
    finally:
        bind_app(app)  # the factory bound the task queue to the bench app
        with bench.app_context():
            db.engine.dispose()

    assert states == {state.value for state in ProjectState}
    assert rows["credit_record"] == rows["attendance"] == seed.size("credit_records", SCALE)
    assert rows["audit_entry"] >= seed.size("audit_entries", SCALE)
    assert {page.name for page in costs} >= {"transcript PDF", "roster", "review page", "audit log"}
    assert all(cost.statements > 0 for page, cost in costs.items() if page.role is not None)
    assert set(cookies) == set(pages.LOGINS)


def test_the_memory_steps_roster_passes_the_check_with_a_third_joining_organizations(db, tmp_path):
    colleges = [factories.college().name, factories.college().name]
    orgs = [factories.org().name]
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_file("M0", 30, colleges, orgs))

    result = checking.check_table(files.read_table(path))

    assert result.valid, result.errors[:3]
    assert (result.total, len(result.people), len(result.appointments)) == (30, 30, 10)
