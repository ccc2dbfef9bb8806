"""公开页面缓存: the public pages as anonymous visitors see them, kept for seconds.

Most readers of the project list, a project page, an award notice, an organization page, a
survey's results, the needs pool, a need's page or a 述职 review's public page are not signed in, and
they all get the same bytes. A view decorated with :func:`public` answers such a request from the
cache when it can, and stores what it rendered otherwise. The rules:

- Only anonymous GETs with no flashed message waiting, and only pages whose rendering put nothing in
  the session (a CSRF token, say): a page with anything of one visitor's in it is never stored. Only
  the body is kept; a session cookie merely refreshed with the response is not part of the page.
  Sealed and personal pages are simply never decorated. The key is the locale and the full path
  (filters included).
- A stored page lives ``PAGE_CACHE_SECONDS`` at most, and never past the next deadline of anything
  the public pages show (a bid deadline, the question cut-off before it, the end of a notice window,
  a need's answer time, a support leaving the pool's last seven days):
  the areas register those with :func:`deadlines`. One second after a deadline, the list is rendered
  anew and the expired project has left the open ones. Expiry is read against the app's clock, so
  tests move time across it.
- Every commit that changes a table the public pages read (:func:`watch`) starts a new generation;
  pages of older generations are never served again. The generation is read before the page is
  rendered, so a page rendered from data older than a commit is stored under the generation before
  it.

The store is Redis (``PAGE_CACHE_URL``, by default ``REDIS_URL``), shared by every web node; with no
Redis the cache is off, since a cache in each process would not hear the others' commits.
``memory://`` keeps one in the process, for tests and single-process runs.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from flask import Response, current_app, has_app_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from . import clock

PREFIX = "jiebang:page:"
GENERATION = "jiebang:page-generation"

# What the public pages read, and what tells when they next change by themselves.
_watched: set[type] = set()
_deadline_sources: list[Callable[[datetime], datetime | None]] = []


def watch(*models: type) -> None:
    """A commit that inserts, changes or deletes a row of ``models`` empties the cache."""
    _watched.update(models)


def deadlines(*sources: Callable[[datetime], datetime | None]) -> None:
    """Each of ``sources`` gives the next moment after ``now`` at which a public page changes with
    no one writing anything (None: none to come)."""
    for source in sources:
        if source not in _deadline_sources:
            _deadline_sources.append(source)


def public(view):
    """Serve ``view`` to anonymous visitors from the cache (see the module's rules)."""

    @wraps(view)
    def cached(*args, **kwargs):
        store = _store()
        if store is None or not _cacheable_request():
            return view(*args, **kwargs)
        generation = store.generation()
        key = f"{PREFIX}{generation}:{get_locale()}:{request.full_path}"
        now = clock.now()
        if (hit := store.get(key)) is not None and hit["expires"] > now.timestamp():
            return Response(hit["body"], status=hit["status"], content_type=hit["type"])
        # Read after the visitor was found anonymous, which is when Flask-Login marks the session.
        session_before = dict(session)
        response = current_app.make_response(view(*args, **kwargs))
        seconds = _lifetime(now)
        if seconds >= 1 and response.status_code == 200 and dict(session) == session_before:
            page = {
                "expires": now.timestamp() + seconds,
                "status": response.status_code,
                "type": response.content_type,
                "body": response.get_data(as_text=True),
            }
            store.put(key, page, math.ceil(seconds))
        return response

    return cached


def _cacheable_request() -> bool:
    return request.method == "GET" and not current_user.is_authenticated and "_flashes" not in session


def _lifetime(now: datetime) -> float:
    """Seconds until the cache must let go: the configured lifetime, or the next deadline if sooner."""
    seconds = float(current_app.config["PAGE_CACHE_SECONDS"])
    for source in _deadline_sources:
        if (moment := source(now)) is not None:
            seconds = min(seconds, (moment - now).total_seconds())
    return seconds


# -- the store ---------------------------------------------------------------------------------------


class RedisStore:
    def __init__(self, url: str):
        import redis  # only deployments with a page cache need the client

        self.redis = redis.Redis.from_url(url)

    def generation(self) -> int:
        return int(self.redis.get(GENERATION) or 0)

    def next_generation(self) -> None:
        self.redis.incr(GENERATION)

    def get(self, key: str) -> dict | None:
        found = self.redis.get(key)
        return json.loads(found) if found is not None else None

    def put(self, key: str, page: dict, seconds: int) -> None:
        self.redis.set(key, json.dumps(page, ensure_ascii=False), ex=seconds)


class MemoryStore:
    """One process's cache (tests, a single-process run). Old generations are dropped, not expired."""

    def __init__(self):
        self.pages: dict[str, dict] = {}
        self.current = 0
        self.lock = threading.Lock()

    def generation(self) -> int:
        return self.current

    def next_generation(self) -> None:
        with self.lock:
            self.current += 1
            self.pages.clear()

    def get(self, key: str) -> dict | None:
        return self.pages.get(key)

    def put(self, key: str, page: dict, seconds: int) -> None:
        self.pages[key] = page


def _store():
    return current_app.extensions.get("page_cache")


def init_app(app) -> None:
    _listen_for_commits()  # a no-op for an app without a store
    if url := app.config.get("PAGE_CACHE_URL"):
        app.extensions["page_cache"] = MemoryStore() if url == "memory://" else RedisStore(url)


# -- invalidation ------------------------------------------------------------------------------------

_CHANGED = "page_cache_changed"


def _listen_for_commits() -> None:
    if event.contains(Session, "after_flush", _note_changes):
        return
    event.listen(Session, "after_flush", _note_changes)
    event.listen(Session, "after_commit", _bump_after_commit)
    event.listen(Session, "after_soft_rollback", _forget_changes)


def _note_changes(session: Session, flush_context) -> None:
    if any(type(obj) in _watched for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


def _bump_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        # Commits happen in requests, tasks and commands alike; each app its own store.
        store = _store() if has_app_context() else None
        if store is not None:
            store.next_generation()


def _forget_changes(session: Session, previous_transaction) -> None:
    session.info.pop(_CHANGED, None)
