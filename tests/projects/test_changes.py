"""变更: changing an open project is announced, asks bidders to re-confirm and moves a near deadline."""

from __future__ import annotations

import re
from datetime import timedelta

from marketplace import settings
from marketplace.bids.models import Bid
from marketplace.notify.models import Notification
from marketplace.projects import operations as project_ops
from marketplace.projects.models import ProjectChange
from tests import factories
from tests.projects.helpers import edit_form, project_data


def test_a_requirement_change_while_open_tells_bidders_unconfirms_bids_and_moves_a_near_deadline(
    client, world, db, clock
):
    project = world.open_project(days=1)
    world.bid(project)
    world.bid(project, manager=world.manager_b, org=world.club_b)
    factories.login(client, world.staff)

    response = client.post(
        f"/projects/{project.id}/edit",
        data=edit_form(
            project, description="服务对象扩大到全体研究生。", reason="应研究生会建议扩大服务对象"
        ),
    )

    assert response.status_code == 302
    assert db.session.scalars(db.select(Bid.confirmed)).all() == [False, False]
    told = db.session.scalars(db.select(Notification.user_id).where(Notification.kind == "project.changed"))
    assert sorted(told) == sorted([world.manager_a.id, world.manager_b.id])
    db.session.refresh(project)
    moved_to = clock.now() + timedelta(days=settings.get("change_min_days"))
    assert project.bid_deadline == moved_to
    change = db.session.scalars(db.select(ProjectChange)).one()
    assert change.deadline_moved_to == moved_to
    assert change.changes["bid_deadline"][0] == (clock.now() + timedelta(days=1)).isoformat()

    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "应研究生会建议扩大服务对象" in page and "需求说明已修改" in page and "截止时间已顺延至" in page


def test_editing_an_open_project_needs_a_reason(client, world, db):
    project = world.open_project()
    factories.login(client, world.staff)
    page = client.get(f"/projects/{project.id}/edit").get_data(as_text=True)
    assert 'data-testid="change-warning"' in page

    response = client.post(f"/projects/{project.id}/edit", data=edit_form(project, title="新标题"))

    assert response.status_code == 422
    assert "请填写变更说明" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectChange)) == 0


def test_a_change_that_is_not_a_requirement_leaves_bids_confirmed(client, world, db):
    project = world.open_project()
    world.bid(project)
    factories.login(client, world.staff)

    client.post(
        f"/projects/{project.id}/edit", data=edit_form(project, title="改个更清楚的标题", reason="标题有错字")
    )

    assert db.session.scalars(db.select(Bid.confirmed)).all() == [True]
    assert db.session.scalar(db.select(db.func.count()).where(Notification.kind == "project.changed")) == 0


def test_a_save_from_a_stale_tab_is_refused_and_keeps_what_was_typed(client, world, db):
    project = world.open_project()
    stale = edit_form(project, title="我在旧标签页改的标题", reason="改标题")
    project_ops.update_project(
        world.staff,
        project,
        {**project_data(title="别人先改好的标题"), "version": project.version, "reason": "先改"},
    )
    db.session.commit()
    factories.login(client, world.staff)

    response = client.post(f"/projects/{project.id}/edit", data=stale)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "这个项目刚在别处被修改过" in html and 'value="我在旧标签页改的标题"' in html
    db.session.refresh(project)
    assert project.title == "别人先改好的标题"

    # Warned, the user may still save from this page: it now carries the version they were shown.
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    assert client.post(f"/projects/{project.id}/edit", data={**stale, "version": version}).status_code == 302
    db.session.refresh(project)
    assert project.title == "我在旧标签页改的标题"


def test_a_project_past_bidding_cannot_be_edited(client, world, clock):
    project = world.open_project()
    clock.set(project.bid_deadline)
    factories.login(client, world.staff)

    response = client.get(f"/projects/{project.id}/edit")

    assert response.status_code == 302
