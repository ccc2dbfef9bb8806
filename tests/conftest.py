"""Test fixtures: the app on a real database, a clock, users of each role, and clean tables.

The suite runs on PostgreSQL (``TEST_DATABASE_URL``, by default the local server's ``jiebang_test``
database, created if missing, its schema built by the migrations; under pytest-xdist each worker uses
that name plus its own, ``jiebang_test_gw0`` and so on). Each test runs in a transaction
rolled back after it; the few marked ``commits`` (and the browser tests) commit for real and have the
tables they wrote emptied after them (tests/isolation.py). Where no PostgreSQL answers, the
suite falls back to an SQLite file and skips the tests marked ``postgres`` — unless
``REQUIRE_PREREQUISITES=1`` (set by CI), which turns every such skip into a failure.
"""

from __future__ import annotations

import contextvars
import os
import re
import secrets
import tempfile

os.environ["APP_ENV"] = "testing"

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from config import TestingConfig
from tests import isolation

pytest_plugins = ["tests.browser.fixtures"]

REQUIRE = os.environ.get("REQUIRE_PREREQUISITES") == "1"


def _postgres_url() -> str | None:
    url = TestingConfig.SQLALCHEMY_DATABASE_URI
    if not url.startswith("postgresql"):
        return None
    target = sa.engine.make_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # each pytest-xdist worker drops and rebuilds the schema: it needs a database of its own
        target = target.set(database=f"{target.database}_{worker}")
        url = target.render_as_string(hide_password=False)
    admin = target.set(database="postgres")
    try:
        engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            exists = conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
            )
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
        engine.dispose()
    except sa.exc.OperationalError as error:
        if REQUIRE:
            pytest.exit(f"PostgreSQL is required (REQUIRE_PREREQUISITES=1) but not reachable: {error}", 2)
        return None
    return url


DATABASE_URL = _postgres_url()
ON_POSTGRES = DATABASE_URL is not None
isolation.SHARING = ON_POSTGRES  # on SQLite every test commits for real (see _commits)


def pytest_report_header(config):
    if ON_POSTGRES:
        return f"database: PostgreSQL {sa.engine.make_url(DATABASE_URL).render_as_string()}"
    return "database: SQLite fallback — PostgreSQL is not reachable, tests marked 'postgres' are SKIPPED"


def pytest_collection_modifyitems(config, items):
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL or start the local server)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


class IsolatedClient(FlaskClient):
    """A test client whose requests run in contexts of their own, as in a real server.

    Without this, every request would reuse the test's application context, and with it ``g``
    (Flask-Login's cached user) and the database session. After each request the test's own session
    forgets what it had loaded, so the next read sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        def request_in_own_context():
            response = FlaskClient.open(self, *args, **kwargs)
            self._context_stack.close()  # contexts the client preserved belong to this Context
            return response

        response = contextvars.Context().run(request_in_own_context)
        from flask import has_app_context

        if has_app_context():
            from marketplace.extensions import db

            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app():
    from marketplace import create_app
    from marketplace.extensions import db

    if ON_POSTGRES:
        url = DATABASE_URL
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='jiebang-test-')}/test.sqlite3"
    upload_dir = tempfile.mkdtemp(prefix="jiebang-uploads-")
    # Room for the concurrency tests' dozens of simultaneous connections.
    engine_options = {"pool_size": 40, "max_overflow": 10} if ON_POSTGRES else {}
    # Every session (the test's, each request's, each task's) joins the test's transaction.
    db.session = db._make_scoped_session(dict(isolation.SESSION_OPTIONS))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_DIR": upload_dir,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        }
    )
    app.config["WTF_CSRF_ENABLED"] = False  # tests/test_security.py turns it back on to prove it
    app.test_client_class = IsolatedClient
    with app.app_context():
        _build_schema(db)
        sa.event.listen(db.engine, "before_cursor_execute", isolation.note_writes)
    return app


def _build_schema(db):
    """Drop whatever an earlier run left, then build the schema with the migrations themselves."""
    from flask_migrate import upgrade

    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            meta = sa.MetaData()
            meta.reflect(conn)
            meta.drop_all(conn)
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


def _commits(item) -> bool:
    # On SQLite, which has one writer at a time, the code's own short transactions (progress
    # reports) would wait for the test's: there every test commits for real.
    return not ON_POSTGRES or any(item.get_closest_marker(m) for m in ("commits", "browser"))


@pytest.fixture(autouse=True)
def _clean_world(request, app):
    """Every test starts at TEST_NOW with empty tables, default categories and fresh rate limits:
    rolled back after it, or, for a test that commits, emptied (see tests/isolation.py)."""
    shared = isolation.shared(request.fixturenames)
    if _commits(request.node):
        isolation.forget_writes()
        with isolation.bound_to(app, None):
            isolation.begin_test()
            yield
            isolation.end_test()
        isolation.delete_written(app)
        return
    with (
        isolation.rolled_back(app, shared and shared.connection) as connection,
        isolation.bound_to(app, connection),
    ):
        isolation.begin_test(shared.now if shared else isolation.TEST_NOW)
        yield
        isolation.end_test()


@pytest.fixture
def clock():
    from marketplace import clock as the_clock

    return the_clock


@pytest.fixture
def db(app):
    from marketplace.extensions import db as the_db

    return the_db


@pytest.fixture
def admin():
    """A faculty account with the admin role (系统管理员)."""
    from marketplace.accounts.models import AccountKind
    from tests import factories

    return factories.user(kind=AccountKind.FACULTY, name="管理员", roles=("admin",))


@pytest.fixture
def as_admin(client, admin):
    from tests import factories

    factories.login(client, admin)
    return client


# Transaction control is not a query a page asks for: BEGIN/COMMIT/ROLLBACK (sent by drivers that do
# not begin implicitly) and the SAVEPOINTs of a rolled-back test are left out of the counts.
TRANSACTION_CONTROL = re.compile(
    r"^\s*((RELEASE |ROLLBACK TO )?SAVEPOINT\b|(BEGIN|COMMIT|ROLLBACK)\s*;?\s*$)", re.IGNORECASE
)


def _each_statement(db, fn, seen) -> None:
    """Run ``fn()``, calling ``seen(parameters)`` for each SQL statement it sends on any connection of
    the engine. Transaction control is left out (and the SAVEPOINTs of a rolled-back test: outside tests
    there are none)."""

    def before(conn, cursor, statement, parameters, context, executemany):
        if not TRANSACTION_CONTROL.match(statement):
            seen(parameters)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)


@pytest.fixture
def count_queries(db):
    """count_queries(fn) -> how many SQL statements fn() issued, transaction control aside."""

    def run(fn):
        sent = []
        _each_statement(db, fn, sent.append)
        return len(sent)

    return run


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free local port, for the tests of the object-store backend."""
    from moto.server import ThreadedMotoServer  # imported by the few tests that use it (0.5 s)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    def __init__(self, client, name: str):
        self.client, self.name = client, name

    def keys(self) -> set[str]:
        listed = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {item["Key"] for item in listed}


@pytest.fixture
def s3_bucket(app, s3_endpoint, monkeypatch) -> Bucket:
    """A fresh bucket, and the app storing under ``s3://<bucket>/files``."""
    import boto3  # as above: only for these tests

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    bucket = Bucket(boto3.client("s3"), f"jiebang-{secrets.token_hex(6)}")
    bucket.client.create_bucket(Bucket=bucket.name)
    monkeypatch.setitem(app.config, "STORAGE_URL", f"s3://{bucket.name}/files")
    app.extensions.pop("storage", None)
    yield bucket
    app.extensions.pop("storage", None)


@pytest.fixture
def count_parameters(db):
    """count_parameters(fn) -> how many values fn() bound into its SQL statements, all together. An
    IN list built from rows in Python grows with them even while the statements stay as many."""

    def run(fn):
        bound = []
        _each_statement(db, fn, lambda parameters: bound.append(len(parameters or ())))
        return sum(bound)

    return run


@pytest.fixture
def count_loaded(db):
    """count_loaded(fn) -> how many model instances fn() loaded from the database (every class mapped
    on ``db.Model``; an instance refreshed again counts again)."""

    def run(fn):
        loaded = 0

        def on_load(target, context):
            nonlocal loaded
            loaded += 1

        sa.event.listen(db.Model, "load", on_load, propagate=True)
        try:
            fn()
        finally:
            sa.event.remove(db.Model, "load", on_load)
        return loaded

    return run
