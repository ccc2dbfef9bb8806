"""Authors stay private: no page shows who wrote a need or a comment but to the author (their own) and
to the staff and league who moderate; the audit log never names a supporter or an author."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.needs import operations
from tests.bids.helpers import signed_in
from tests.needs.helpers import NeedWorld


@pytest.fixture
def world(app, clock):
    world = NeedWorld()
    world.need = world.support(world.post(), world.students[0], world.students[1])
    operations.comment(world.students[2], world.need, {"body": "同感，晚上更难找座位。"})
    world.other = world.post(author=world.students[1], title="食堂夜宵窗口")
    db.session.commit()
    return world


PAGES = [
    lambda w: "/needs",
    lambda w: "/needs?sort=recent",
    lambda w: "/needs?sort=trend",
    lambda w: f"/needs/{w.need.id}",
    lambda w: f"/needs/{w.other.id}",
    lambda w: "/needs/mine",
    lambda w: f"/projects/{w.project.id}",
]


def _with_project(world):
    world.project = world.project()
    operations.accept(world.staff, world.other, {"project": world.project.id})
    db.session.commit()


@pytest.mark.parametrize("viewer", ["public", "student", "supporter", "author of another need", "master"])
def test_no_page_names_an_author_commenter_or_supporter_to_other_students(app, world, viewer):
    _with_project(world)
    user = {
        "public": None,
        "student": world.students[2],
        "supporter": world.students[0],
        "author of another need": world.students[1],
        "master": world.master,
    }[viewer]
    client = signed_in(app, user)
    hidden_names = {world.author.name, world.students[0].name, world.students[1].name, world.students[2].name}
    hidden_names.discard(getattr(user, "name", None))
    for page in PAGES:
        url = page(world)
        if url == "/needs/mine" and user is None:
            continue
        text = client.get(url).get_data(as_text=True)
        assert not [name for name in hidden_names if name in text], url
        assert world.author.identifier not in text, url


def test_the_author_sees_their_own_need_marked_and_not_the_commenters_name(app, world):
    page = signed_in(app, world.author).get(world.need.url).get_data(as_text=True)
    assert "这是你发布的需求。其他同学看不到你的姓名。" in page
    assert world.students[2].name not in page


@pytest.mark.parametrize("who", ["staff", "reviewer"])
def test_the_unions_staff_and_the_league_see_the_author_and_commenters(app, world, who):
    page = signed_in(app, getattr(world, who)).get(world.need.url).get_data(as_text=True)
    assert f"发布者：{world.author.name}" in page
    assert world.students[2].name in page


def test_staff_of_the_other_union_do_not_see_the_author(app, world):
    page = signed_in(app, world.graduate_staff).get(world.need.url).get_data(as_text=True)
    assert world.author.name not in page


def test_a_support_writes_no_audit_entry(app, world):
    before = db.session.scalar(select(func.count()).select_from(AuditEntry))

    response = signed_in(app, world.students[2]).post(f"/needs/{world.need.id}/support")

    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_posts_are_recorded_without_their_author_and_no_entry_names_a_student(app, world):
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type.like("need%"))).all()
    students = {world.author.id, *(s.id for s in world.students)}

    assert [(e.action, e.actor_id) for e in entries] == [("need.post", None), ("need.post", None)]
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id.in_(students))).all()


def test_the_audit_log_shows_a_post_without_its_author_to_the_league(app, world):
    page = signed_in(app, world.reviewer).get("/admin/audit?action=need.").get_data(as_text=True)
    assert "发布了需求" in page
    assert world.author.name not in page and world.students[0].name not in page
