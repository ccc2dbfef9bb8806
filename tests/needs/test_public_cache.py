"""The needs pool and a need's page as anonymous visitors get them from the public page cache: never
past the moment something on them changes by the clock (a support leaving the last seven days, an
answer time passing), and never after a commit that changes them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace import pagecache
from marketplace.extensions import db
from marketplace.needs import operations
from tests.bids.helpers import signed_in
from tests.needs.helpers import NeedWorld


@pytest.fixture
def page_cache(app, monkeypatch):
    store = pagecache.MemoryStore()
    monkeypatch.setitem(app.extensions, "page_cache", store)
    return store


def test_the_pools_seven_day_count_drops_one_second_after_a_support_turns_a_week_old(
    app, clock, page_cache, count_queries
):
    world = NeedWorld()
    need = world.post()
    clock.shift(timedelta(days=2))  # so that the need's answer time ends no cached page here
    world.support(need, world.students[0])
    supported_at = clock.now()
    visitor = signed_in(app, None)
    clock.set(supported_at + timedelta(days=7, seconds=-30))  # within the cache's 60 seconds
    assert "近 7 天 +1" in visitor.get("/needs").get_data(as_text=True)
    assert count_queries(lambda: visitor.get("/needs")) == 0  # served from the cache

    clock.set(supported_at + timedelta(days=7, seconds=1))

    assert "近 7 天 +" not in visitor.get("/needs").get_data(as_text=True)


def test_a_cached_need_page_reads_overdue_one_second_after_its_answer_time(app, clock, page_cache):
    world = NeedWorld()
    need = world.post()
    url, due = need.url, need.answer_due_at
    visitor = signed_in(app, None)
    clock.set(due - timedelta(seconds=30))
    assert "已超时" not in visitor.get(url).get_data(as_text=True)

    clock.set(due + timedelta(seconds=1))

    assert "已超时" in visitor.get(url).get_data(as_text=True)


def test_a_comment_shows_at_once_on_a_cached_need_page_and_a_support_in_the_pool(app, page_cache):
    world = NeedWorld()
    need = world.post()
    url = need.url
    visitor = signed_in(app, None)
    assert "复习资料" not in visitor.get(url).get_data(as_text=True)
    assert "近 7 天 +" not in visitor.get("/needs").get_data(as_text=True)

    operations.comment(world.students[1], need, {"body": "同意，期末还需要复习资料室。"})
    db.session.commit()
    world.support(need, world.students[0])

    assert "复习资料" in visitor.get(url).get_data(as_text=True)
    assert "近 7 天 +1" in visitor.get("/needs").get_data(as_text=True)


def test_a_signed_in_student_gets_the_pool_and_page_rendered_for_them(app, page_cache):
    world = NeedWorld()
    need = world.post()
    signed_in(app, None).get(need.url)
    student = signed_in(app, world.students[0])

    page = student.get(need.url).get_data(as_text=True)

    assert 'name="csrf_token"' in page  # the support button's form, which no cached page carries
