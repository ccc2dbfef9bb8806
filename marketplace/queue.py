"""Background and periodic work on Huey.

Storage follows the deployment: Redis when ``REDIS_URL`` is set, an SQLite file in ``instance/`` for
the embedded default, immediate (in-process, in-memory) in tests. The consumer runs inside the Flask
app (``flask --app marketplace worker``), so tasks get an application context of their own and a
database session separate from any request's.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey

from config import Config


def _make_huey():
    if os.environ.get("APP_ENV") == "testing":
        return MemoryHuey("jiebang", immediate=True)
    if os.environ.get("REDIS_URL"):
        return RedisHuey("jiebang", url=os.environ["REDIS_URL"])
    Path(Config.HUEY_SQLITE_PATH).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("jiebang", filename=Config.HUEY_SQLITE_PATH)


huey = _make_huey()
_worker_app: Flask | None = None


def bind_app(app: Flask) -> None:
    """Tell tasks which app to run in when no app context is around (the consumer's threads)."""
    global _worker_app
    _worker_app = app
    if app.config.get("HUEY_IMMEDIATE"):
        huey.immediate = True


def _app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from . import create_app  # the factory imports this module: the consumer makes its app late

        bind_app(create_app())
    return _worker_app


def _in_app_context(fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        # A fresh app context means a fresh database session: a task never shares (or commits)
        # the session of the request that queued it, even in immediate mode.
        with _app().app_context():
            return fn(*args, **kwargs)

    return run


def task(**options):
    """A Huey task that runs in an application context."""

    def decorate(fn):
        return huey.task(**options)(_in_app_context(fn))

    return decorate


def periodic_task(schedule, **options):
    def decorate(fn):
        return huey.periodic_task(schedule, **options)(_in_app_context(fn))

    return decorate
