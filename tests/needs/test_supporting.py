"""Supporting a need: once per student (the database's unique key, under concurrent requests too),
never one's own, only while it is open; commenting."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.needs import operations
from marketplace.needs.models import Need, NeedComment, NeedSupport
from tests.bids.helpers import signed_in
from tests.needs.helpers import NeedWorld
from tests.surveys.test_concurrency import race


def supports_of(need: Need) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(NeedSupport).where(NeedSupport.need_id == need.id)
    )


def test_a_support_counts_once_and_the_page_says_so(app, clock):
    world = NeedWorld()
    need = world.post()
    client = signed_in(app, world.students[0])

    response = client.post(f"/needs/{need.id}/support")

    assert response.status_code == 302
    page = client.get(need.url).get_data(as_text=True)
    assert "1 人支持" in page and "你已支持" in page
    db.session.refresh(need)
    assert need.support_count == supports_of(need) == 1


def test_supporting_twice_is_refused(app, clock):
    world = NeedWorld()
    need = world.support(world.post(), world.students[0])
    client = signed_in(app, world.students[0])

    response = client.post(f"/needs/{need.id}/support")

    assert response.status_code == 422
    assert "你已经支持过这条需求了。" in response.get_data(as_text=True)
    db.session.refresh(need)
    assert need.support_count == supports_of(need) == 1


def test_supporting_ones_own_need_is_refused(app, clock):
    world = NeedWorld()
    need = world.post()

    response = signed_in(app, world.author).post(f"/needs/{need.id}/support")

    assert response.status_code == 422
    assert "这是你自己发布的需求，不能再支持。" in response.get_data(as_text=True)
    assert supports_of(need) == 0


def test_an_answered_need_takes_no_more_supports(app, clock):
    world = NeedWorld()
    need = world.post()
    operations.decline(world.staff, need, {"reason": "学校已有安排"})
    db.session.commit()

    response = signed_in(app, world.students[0]).post(f"/needs/{need.id}/support")

    assert response.status_code == 422
    assert "这条需求已经「未采纳」，不能再支持。" in response.get_data(as_text=True)
    assert supports_of(need) == 0


def test_a_teacher_may_not_support(app, clock):
    world = NeedWorld()
    need = world.post()
    assert signed_in(app, world.teacher).post(f"/needs/{need.id}/support").status_code == 422
    assert supports_of(need) == 0


def test_a_support_of_an_unknown_need_is_a_404(app, clock):
    world = NeedWorld()
    assert signed_in(app, world.students[0]).post("/needs/999999/support").status_code == 404


def test_a_comment_is_shown_without_its_author_and_an_empty_one_is_refused(app, clock):
    world = NeedWorld()
    need = world.post()
    client = signed_in(app, world.students[0])

    empty = client.post(f"/needs/{need.id}/comments", data={"body": "  "})
    posted = client.post(f"/needs/{need.id}/comments", data={"body": "我也遇到过，周末更严重。"})

    assert empty.status_code == 422 and "请填写评论内容。" in empty.get_data(as_text=True)
    assert posted.status_code == 302
    page = signed_in(app, world.students[1]).get(need.url).get_data(as_text=True)
    assert "我也遇到过，周末更严重。" in page
    assert world.students[0].name not in page
    assert db.session.scalar(select(func.count()).select_from(NeedComment)) == 1


@pytest.mark.postgres
@pytest.mark.commits
def test_one_student_supporting_from_eight_tabs_at_once_leaves_exactly_one_support(app, clock):
    world = NeedWorld()
    need = world.post()
    clients = [signed_in(app, world.students[0]) for _ in range(8)]

    outcomes = race(clients, f"/needs/{need.id}/support", {})

    codes = sorted(code for code, _ in outcomes)
    assert codes == [302] + [422] * 7, [page[:300] for code, page in outcomes if code not in (302, 422)]
    assert all("你已经支持过这条需求了。" in page for code, page in outcomes if code == 422)
    db.session.expire_all()
    assert supports_of(need) == db.session.get(Need, need.id).support_count == 1


@pytest.mark.postgres
@pytest.mark.commits
def test_students_supporting_at_the_same_moment_all_count(app, clock):
    world = NeedWorld()
    need = world.post()
    people = [*world.students, world.master, world.staff, world.graduate_staff]

    outcomes = race([signed_in(app, p) for p in people], f"/needs/{need.id}/support", {})

    assert [code for code, _ in outcomes] == [302] * 6
    assert supports_of(need) == db.session.get(Need, need.id).support_count == 6
