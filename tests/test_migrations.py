"""The migrations build the schema the models describe, both ways, and the app serves on SQLite
(what `make run` uses) as well as on PostgreSQL."""

from __future__ import annotations

import re
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, ProxyHandler, build_opener

import pytest
import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from marketplace import create_app, queue
from marketplace.extensions import db
from tests import factories
from tests.browser.live import serving


@pytest.fixture
def sqlite_app(tmp_path, monkeypatch):
    monkeypatch.setattr(queue, "_worker_app", queue._worker_app)  # create_app rebinds the task queue
    other = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'jiebang.sqlite3'}"})
    yield other
    with other.app_context():
        db.engine.dispose()


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_on_sqlite_the_migrations_upgrade_downgrade_to_base_and_upgrade_again_matching_the_models(sqlite_app):
    with sqlite_app.app_context():
        upgrade()
        assert "user" in table_names()
        downgrade(revision="base")
        assert table_names() == {"alembic_version"}
        upgrade()
        check()  # `flask db check`: exits non-zero when the models and the schema differ


@pytest.mark.postgres
def test_on_postgresql_the_schema_built_by_the_migrations_matches_the_models(app):
    with app.app_context():
        check()


def test_the_app_serves_on_sqlite_and_a_student_logs_in_over_http_with_csrf_on(sqlite_app):
    with sqlite_app.app_context():
        upgrade()
        student = factories.user(name="李雷")
        identifier = student.identifier
    browser = build_opener(ProxyHandler({}), HTTPCookieProcessor(CookieJar()))

    with serving(sqlite_app) as url:
        login_page = browser.open(f"{url}/login", timeout=10).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        form = {"identifier": identifier, "password": factories.PASSWORD, "csrf_token": token}
        home = browser.open(f"{url}/login", data=urlencode(form).encode(), timeout=10)  # follows the 302

        assert home.status == 200 and home.url == f"{url}/"
        assert "你好，李雷" in home.read().decode()


def test_flask_db_check_compares_the_models_with_the_migrations_not_with_the_instance_database(app, db):
    # The instance database may be anywhere (here: the suite's PostgreSQL); the check builds its own.
    runner = app.test_cli_runner()
    passed = runner.invoke(args=["db", "check"])
    assert passed.exit_code == 0, passed.output
    assert "nothing to migrate" in passed.output

    probe = sa.Table("probe_without_migration", db.metadata, sa.Column("id", sa.Integer, primary_key=True))
    try:
        failed = runner.invoke(args=["db", "check"])
    finally:
        db.metadata.remove(probe)
    assert failed.exit_code == 1 and "probe_without_migration" in failed.output
