"""The public page cache: what it keeps, for whom, and for how long."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import redis

from marketplace import pagecache
from marketplace.extensions import db
from marketplace.projects import operations as project_ops
from marketplace.projects.models import Question
from tests import factories
from tests.projects.helpers import World


@pytest.fixture
def page_cache(app, monkeypatch):
    store = pagecache.MemoryStore()
    monkeypatch.setitem(app.extensions, "page_cache", store)
    return store


@pytest.fixture
def world(app):
    return World()


def test_a_cached_list_drops_a_project_one_second_after_its_deadline(
    client, world, clock, page_cache, count_queries
):
    project = world.open_project(title="即将截止的项目", days=3)
    clock.set(project.bid_deadline - timedelta(seconds=30))  # within the cache's 60 seconds
    assert "即将截止的项目" in client.get("/projects?status=open").get_data(as_text=True)
    clock.shift(timedelta(seconds=20))
    # Served from the cache: not one statement.
    assert count_queries(lambda: client.get("/projects?status=open")) == 0

    clock.set(project.bid_deadline + timedelta(seconds=1))

    assert "即将截止的项目" not in client.get("/projects?status=open").get_data(as_text=True)


def test_a_commit_that_changes_a_public_page_is_seen_at_once(client, world, page_cache):
    project = world.open_project(title="有人提问的项目")
    question = project_ops.ask_question(world.manager_a, project, {"body": "可以跨校区举办吗？"})
    db.session.commit()
    assert "可以跨校区举办吗" not in client.get(f"/projects/{project.id}").get_data(as_text=True)

    project_ops.answer_question(world.staff, db.session.get(Question, question.id), {"answer": "可以。"})
    db.session.commit()

    assert "可以跨校区举办吗" in client.get(f"/projects/{project.id}").get_data(as_text=True)


def test_a_signed_in_visitor_never_gets_the_anonymous_page(client, app, world, page_cache):
    world.open_project(title="公开的项目")
    assert "登录" in client.get("/projects").get_data(as_text=True)
    student = factories.user(name="孙同学")
    signed_in = app.test_client()
    factories.login(signed_in, student)

    html = signed_in.get("/projects").get_data(as_text=True)

    assert "孙同学" in html
    assert page_cache.pages, "the anonymous page was stored"


def test_a_response_with_a_flashed_message_is_not_stored(client, app, world, page_cache):
    world.open_project(title="公开的项目")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "只给这一位访客的消息")]

    assert "只给这一位访客的消息" in client.get("/projects").get_data(as_text=True)

    assert not page_cache.pages
    assert "只给这一位访客的消息" not in app.test_client().get("/projects").get_data(as_text=True)


def test_pages_are_kept_per_language(client, app, world, page_cache):
    world.open_project()
    assert "项目" in client.get("/projects").get_data(as_text=True)
    english = app.test_client()
    english.post("/language", data={"locale": "en"})

    html = english.get("/projects").get_data(as_text=True)

    assert "Projects" in html
    assert len(page_cache.pages) == 2


def test_web_nodes_share_the_cache_and_its_generations_through_redis():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    one, other = pagecache.RedisStore(url), pagecache.RedisStore(url)
    key = f"{pagecache.PREFIX}{one.generation()}:zh_CN:/projects?"
    one.put(key, {"expires": 0, "status": 200, "type": "text/html", "body": "列表"}, 5)
    before = other.generation()

    assert other.get(key)["body"] == "列表"
    one.next_generation()
    assert other.generation() == before + 1


def test_an_anonymous_visit_to_each_public_page_is_stored(client, world, page_cache):
    project = world.open_project(title="公开的项目")

    for url in ("/", "/projects", f"/projects/{project.id}", f"/orgs/{world.club_a.id}"):
        assert client.get(url).status_code == 200

    assert len(page_cache.pages) == 4
