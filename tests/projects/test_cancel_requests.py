"""Asking to cancel a project under way: the posting union's staff or the host's managers ask, with a
reason (the host from its console); the league reviewers who may approve hear of it, and so do the
staff and the host — but the one who asked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.accounts.models import AccountKind
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.orgs.models import MemberRole
from marketplace.urls import path_for
from tests import factories
from tests.bids.helpers import signed_in
from tests.volunteers.helpers import HostingWorld


@pytest.fixture
def world(app):
    return HostingWorld(bids=True)  # club A, the host, and club B bid


def request_url(world) -> str:
    return f"/projects/{world.project.id}/request-cancel"


def told(kind: str) -> dict[int, str]:
    rows = db.session.execute(
        select(Notification.user_id, Notification.link).where(Notification.kind == kind)
    )
    return dict(rows.all())


def test_the_hosts_manager_asks_to_cancel_from_the_host_console_with_a_reason(app, world):
    host = signed_in(app, world.host)
    console = host.get(f"/hosting/projects/{world.project.id}").get_data(as_text=True)
    assert "申请取消项目" in console and f'action="{request_url(world)}"' in console

    assert host.post(request_url(world), data={"reason": ""}).status_code == 422
    assert host.post(request_url(world), data={"reason": "主讲嘉宾无法到场，活动无法举办"}).status_code == 302

    db.session.refresh(world.project)
    assert world.project.cancel_requested_by_id == world.host.id
    assert world.project.cancel_reason == "主讲嘉宾无法到场，活动无法举办"
    console = host.get(f"/hosting/projects/{world.project.id}").get_data(as_text=True)
    assert "等待校团委批准" in console and f'action="{request_url(world)}"' not in console


def test_the_request_is_told_to_the_reviewers_who_may_approve_the_staff_and_the_host_but_not_the_asker(
    app, world
):
    recused = factories.user(kind=AccountKind.FACULTY, roles=("league_reviewer",))
    factories.membership(recused, world.club_a, MemberRole.MEMBER)

    signed_in(app, world.host).post(request_url(world), data={"reason": "主讲嘉宾无法到场"})

    requests = told("project.cancel_requested")
    assert requests == {
        world.reviewer.id: path_for("projects.approvals"),
        world.staff.id: world.project.url,
    }
    note = db.session.scalar(select(Notification).where(Notification.user_id == world.reviewer.id))
    assert "张社长" in note.body and "主讲嘉宾无法到场" in note.body


def test_staff_asking_tell_the_host(app, world):
    signed_in(app, world.staff).post(request_url(world), data={"reason": "经费审计未通过"})

    assert set(told("project.cancel_requested")) == {world.reviewer.id, world.host.id}


def test_a_rival_bidder_or_a_student_may_not_ask_to_cancel(app, world):
    for outsider in (world.manager_b, factories.user()):
        assert (
            signed_in(app, outsider).post(request_url(world), data={"reason": "不想办了"}).status_code == 403
        )
    db.session.refresh(world.project)
    assert world.project.cancel_requested_at is None
