"""A save from a stale tab is refused without guessing who changed the bid or project meanwhile: often
it was the same person, in another tab."""

from __future__ import annotations

import pytest

from tests.bids.helpers import bid_form, signed_in, version_on
from tests.projects.helpers import World, edit_form


@pytest.fixture
def world(app):
    return World()


def test_the_same_manager_saving_a_bid_from_two_tabs_is_told_it_changed_elsewhere(app, world):
    project = world.open_project()
    world.bid(project, summary="初稿")
    tabs = signed_in(app, world.manager_a)  # one person, one session, two tabs
    url = f"/projects/{project.id}/bid"
    version = version_on(tabs.get(url).get_data(as_text=True))
    assert tabs.post(url, data=bid_form(summary="第一个标签页", version=version)).status_code == 302

    stale = tabs.post(url, data=bid_form(summary="第二个标签页", version=version))

    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "这份标书刚在别处被修改过" in page
    assert "另一位" not in page and "其他人" not in page


def test_the_same_staff_member_saving_a_project_from_two_tabs_is_told_it_changed_elsewhere(app, world):
    project = world.open_project()
    tabs = signed_in(app, world.staff)
    first, second = (
        edit_form(project, title="第一个标签页", reason="改标题"),
        edit_form(project, reason="改说明"),
    )
    assert tabs.post(f"/projects/{project.id}/edit", data=first).status_code == 302

    stale = tabs.post(f"/projects/{project.id}/edit", data=second)

    page = stale.get_data(as_text=True)
    assert stale.status_code == 422
    assert "这个项目刚在别处被修改过" in page
    assert "另一位" not in page and "其他人" not in page
