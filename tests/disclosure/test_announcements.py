"""Announcements (重要工作安排, 改革进展): public only once the league reviewer approves them
(重要信息发布审核); the reviewer finds what awaits approval in one queue, linked from the home page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from marketplace.disclosure.models import Announcement, AnnouncementKind, PublicationStatus
from marketplace.extensions import db
from marketplace.notify.models import Notification
from tests.bids.helpers import signed_in
from tests.disclosure.helpers import DisclosureWorld


@pytest.fixture
def world(app, clock):
    return DisclosureWorld()


def form(**overrides) -> dict:
    return {"kind": "reform", "title": "学生会改革第二阶段", "body": "精简部门至 6 个。"} | overrides


@pytest.mark.parametrize("stage", ["draft", "pending", "returned"])
def test_an_announcement_not_yet_approved_is_a_404_and_missing_from_the_lists(app, world, stage):
    announcement = world.announcement("未审核的安排", to=stage)
    public = signed_in(app, None)
    assert public.get(announcement.url).status_code == 404
    for page in (
        "/disclosure/announcements",
        "/disclosure",
        f"/disclosure/announcements?union={world.union.id}",
    ):
        assert "未审核的安排" not in public.get(page).get_data(as_text=True)


def test_an_approved_announcement_is_public_with_its_kind_and_filtered_by_it(app, world):
    world.announcement("期末答疑周安排", to="published")
    world.announcement("部门精简完成", to="published", kind=AnnouncementKind.REFORM)
    public = signed_in(app, None)
    listing = public.get("/disclosure/announcements").get_data(as_text=True)
    assert "期末答疑周安排" in listing and "部门精简完成" in listing
    reform = public.get("/disclosure/announcements?kind=reform").get_data(as_text=True)
    assert "部门精简完成" in reform and "期末答疑周安排" not in reform
    home = public.get("/").get_data(as_text=True)
    assert 'href="/disclosure"' in home and 'href="/disclosure/announcements"' in home


def test_the_league_reviewer_finds_the_queue_on_the_home_page_and_returns_with_a_reason(app, world):
    announcement = world.announcement("待审的安排", to="pending")
    reviewer = signed_in(app, world.reviewer)
    assert "/disclosure/review" in reviewer.get("/").get_data(as_text=True)
    assert "待审的安排" in reviewer.get("/disclosure/review").get_data(as_text=True)
    returned = reviewer.post(
        f"/disclosure/announcements/{announcement.id}/return", data={"reason": "日期写错了"}
    )
    assert returned.status_code == 302
    db.session.refresh(announcement)
    assert announcement.status == PublicationStatus.RETURNED
    told = db.session.scalar(select(Notification).where(Notification.user_id == world.staff.id))
    assert told.kind == "disclosure.returned" and "日期写错了" in told.body
    assert "待审的安排" not in reviewer.get("/disclosure/review").get_data(as_text=True)


def test_the_staff_find_their_drafts_on_their_desk_from_the_home_page(app, world):
    world.announcement("草稿里的安排")
    staff = signed_in(app, world.staff)
    desk = f"/disclosure/unions/{world.union.id}/desk"
    assert desk in staff.get("/").get_data(as_text=True)
    assert "草稿里的安排" in staff.get(desk).get_data(as_text=True)
    assert signed_in(app, world.student).get(desk).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "此项必填"),
        ({"title": "标" * 101}, "最多 100 个字符"),
        ({"kind": "gossip"}, "不是有效的选择"),
        ({"body": "正" * 20001}, "最多 20000 个字符"),
    ],
)
def test_a_bad_announcement_is_refused_and_nothing_is_saved(app, world, overrides, message):
    response = signed_in(app, world.staff).post(
        f"/disclosure/unions/{world.union.id}/announcements/new", data=form(**overrides)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html, re.findall(r"invalid-feedback[^>]*>([^<]*)", html)
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 0


def test_a_drafted_announcement_goes_through_the_form_to_publication(app, world):
    staff = signed_in(app, world.staff)
    assert (
        staff.post(f"/disclosure/unions/{world.union.id}/announcements/new", data=form()).status_code == 302
    )
    announcement = db.session.scalar(select(Announcement))
    assert (announcement.kind, announcement.status) == (AnnouncementKind.REFORM, PublicationStatus.DRAFT)
    staff.post(f"/disclosure/announcements/{announcement.id}/submit")
    signed_in(app, world.reviewer).post(f"/disclosure/announcements/{announcement.id}/approve")
    page = signed_in(app, None).get(announcement.url)
    assert page.status_code == 200 and "精简部门至 6 个" in page.get_data(as_text=True)
