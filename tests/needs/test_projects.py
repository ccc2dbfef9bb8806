"""A need and its project, both ways: "发榜" from a need opens the posting form prefilled and accepts
the need with the draft; the project page lists the needs it serves; supporters hear when the need is
answered, when its project is posted, and when it closes with its final score."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace import clock
from marketplace.extensions import db
from marketplace.needs import operations
from marketplace.needs.models import Need, NeedStatus
from marketplace.notify.models import Notification
from marketplace.projects import lifecycle
from marketplace.projects import operations as projects
from marketplace.projects.models import Project, ProjectState
from tests.bids.helpers import signed_in
from tests.needs.helpers import NeedWorld


def posting_form(**overrides) -> dict:
    deadline = clock.now() + timedelta(days=14)
    data = {
        "title": "图书馆延时开放试点",
        "category": "academic",
        "description": "期末周图书馆延长开放到 23 点。",
        "expected_outcomes": "覆盖 2000 人次。",
        "budget_cap": "3000",
        "eligible_kinds": ["club"],
        "bid_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        "hosting_starts_on": (deadline.date() + timedelta(days=7)).isoformat(),
        "hosting_ends_on": (deadline.date() + timedelta(days=30)).isoformat(),
        "credit_category_id": "",
    }
    for i, c in enumerate(projects.default_criteria()):
        data[f"criteria-{i}-name"] = c["name"]
        data[f"criteria-{i}-weight"] = str(c["weight"])
    data.update(overrides)
    return data


def told(kind: str) -> set[int]:
    return set(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def test_posting_a_project_from_a_need_starts_from_the_need_and_accepts_it(app, clock):
    world = NeedWorld()
    need = world.support(world.post(title="期末周图书馆座位太少", category="学业"), world.students[0])
    client = signed_in(app, world.staff)

    form = client.get(f"/needs/{need.id}/project").get_data(as_text=True)
    response = client.post(
        f"/needs/{need.id}/project", data=posting_form(union_id=str(world.school_union.id))
    )

    assert 'value="期末周图书馆座位太少"' in form
    assert "期末周每天早上七点就没有座位了" in form  # the description, to edit
    assert 'value="academic" selected' in form or "selected" in form
    assert response.status_code == 302
    project = db.session.scalars(select(Project)).one()
    need = db.session.get(Need, need.id)
    assert (need.status, need.project_id, project.state) == (
        NeedStatus.ACCEPTED,
        project.id,
        ProjectState.DRAFT,
    )
    assert told("need.answered") == {world.author.id, world.students[0].id}


def test_a_refused_posting_form_keeps_the_need_open_and_what_was_typed(app, clock):
    world = NeedWorld()
    need = world.post()

    response = signed_in(app, world.staff).post(
        f"/needs/{need.id}/project",
        data=posting_form(union_id=str(world.school_union.id), budget_cap="0", title="我改过的标题"),
    )

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请输入 0.01 到 99999999 之间的数。" in page and "我改过的标题" in page
    assert db.session.get(Need, need.id).status == NeedStatus.OPEN
    assert db.session.scalars(select(Project)).all() == []


def test_posting_from_a_need_of_another_union_is_forbidden(app, clock):
    world = NeedWorld()
    need = world.post(author=world.master)
    assert signed_in(app, world.staff).get(f"/needs/{need.id}/project").status_code == 403


def test_the_project_page_lists_the_needs_it_answers_and_the_need_links_the_project(app, clock):
    world = NeedWorld()
    need = world.post(title="期末周图书馆座位太少")
    project = world.project(title="图书馆延时开放试点")
    projects.publish(world.staff, project)
    operations.accept(world.staff, need, {"project": project.id})
    db.session.commit()
    visitor = signed_in(app, None)

    project_page = visitor.get(project.url).get_data(as_text=True)
    need_page = visitor.get(need.url).get_data(as_text=True)

    assert "这个项目回应的同学需求" in project_page
    assert f'href="/needs/{need.id}"' in project_page and "期末周图书馆座位太少" in project_page
    assert f'href="/projects/{project.id}"' in need_page and "图书馆延时开放试点" in need_page


def test_supporters_hear_when_the_project_is_posted_and_when_it_closes_with_its_score(app, clock):
    world = NeedWorld()
    need = world.support(world.post(), *world.students[:2])
    project = world.project()
    operations.accept(world.staff, need, {"project": project.id})
    db.session.commit()
    everyone = {world.author.id, world.students[0].id, world.students[1].id}
    assert told("need.project_posted") == set()

    projects.publish(world.staff, project)
    db.session.commit()
    assert told("need.project_posted") == everyone

    # Straight to evaluating, as tests/evaluation/helpers goes to closed; the clock ends the window.
    project.state, project.tiebreak_seed = ProjectState.EVALUATING, "0" * 64
    project.host_org_id = world.school_union.id
    project.evaluation_ends_at = clock.now() + timedelta(days=1)
    db.session.commit()
    clock.set(clock.now() + timedelta(days=2))
    lifecycle.run_due_transitions()
    db.session.commit()

    assert db.session.get(Project, project.id).state == ProjectState.CLOSED
    assert told("need.project_closed") == everyone
    body = db.session.scalars(
        select(Notification.body).where(Notification.kind == "need.project_closed")
    ).first()
    assert "已结项" in body


def test_a_need_cannot_be_accepted_with_a_cancelled_project(app, clock):
    world = NeedWorld()
    need = world.post()
    project = world.project()
    projects.publish(world.staff, project)
    lifecycle.apply(project, "cancel", world.staff, reason="场地无法落实")
    db.session.commit()

    response = signed_in(app, world.staff).post(f"/needs/{need.id}/accept", data={"project": project.id})

    assert response.status_code == 422
    assert "这个项目处于「已取消」状态，不能用来采纳需求。" in response.get_data(as_text=True)
    assert db.session.get(Need, need.id).status == NeedStatus.OPEN


def test_the_project_page_lists_the_first_needs_it_serves_and_how_many_in_all(app, clock):
    world = NeedWorld()
    project = world.project()
    projects.publish(world.staff, project)
    for i in range(12):
        operations.accept(world.staff, world.post(title=f"第{i:02d}条需求"), {"project": project.id})
    db.session.commit()

    page = signed_in(app, None).get(project.url).get_data(as_text=True)

    assert "第00条需求" in page and "第09条需求" in page
    assert "第10条需求" not in page and "第11条需求" not in page
    assert "还有更多需求由这个项目回应" in page
    assert page.count("采纳同学需求") == 0  # the timeline keeps to the project's own steps


def test_a_draft_projects_title_is_shown_to_nobody_but_staff_until_it_is_published(app, clock):
    world = NeedWorld()
    need = world.support(world.post(), world.students[0])
    project = world.project(title="尚未发布的草稿项目")
    operations.accept(world.staff, need, {"project": project.id})
    db.session.commit()

    for viewer in (None, world.author, world.students[0]):
        page = signed_in(app, viewer).get(need.url).get_data(as_text=True)
        assert "尚未发布的草稿项目" not in page and "解决它的项目正在筹备" in page
    told_body = db.session.scalars(
        select(Notification.body).where(Notification.kind == "need.answered")
    ).first()
    assert "尚未发布的草稿项目" not in told_body and "正在筹备" in told_body
    assert "尚未发布的草稿项目" in signed_in(app, world.staff).get(need.url).get_data(as_text=True)

    projects.publish(world.staff, project)
    db.session.commit()
    assert "尚未发布的草稿项目" in signed_in(app, None).get(need.url).get_data(as_text=True)


def test_publishing_a_project_tells_its_needs_supporters_without_loading_the_needs(app, clock, count_loaded):
    world = NeedWorld()
    project = world.project()
    for i in range(5):
        operations.accept(
            world.staff,
            world.support(world.post(title=f"需求{i}"), world.students[0]),
            {"project": project.id},
        )
    db.session.commit()
    db.session.expire_all()
    project = db.session.get(Project, project.id)

    loaded = count_loaded(lambda: operations.tell_of_project(project, "need.project_posted"))

    assert loaded == 0
    assert told("need.project_posted") == {world.author.id, world.students[0].id}
