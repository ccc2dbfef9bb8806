"""发榜: staff post a project from the form, drafts stay private, a failed project is reposted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from marketplace.projects.models import Criterion, Project, ProjectState
from tests import factories
from tests.projects.helpers import edit_form, project_form


def _projects(db):
    return db.session.scalars(db.select(Project).order_by(Project.id)).all()


def test_staff_post_a_draft_with_the_deadline_typed_in_beijing_time(client, world, db):
    factories.login(client, world.staff)
    page = client.get("/projects/new")
    assert page.status_code == 200
    assert "方案可行性" in page.get_data(as_text=True)  # the default criteria are offered

    response = client.post("/projects/new", data=project_form(world.union, bid_deadline="2026-03-26T17:00"))

    assert response.status_code == 302
    (project,) = _projects(db)
    assert response.headers["Location"].endswith(f"/projects/{project.id}")
    assert project.state == ProjectState.DRAFT and project.union_id == world.union.id
    assert project.bid_deadline == datetime(2026, 3, 26, 9, 0, tzinfo=UTC)
    assert [(c.name, c.weight) for c in project.bid_criteria] == [
        ("方案可行性", 30),
        ("服务同学实效", 30),
        ("预算合理性", 20),
        ("团队能力", 20),
    ]


def test_criteria_weights_not_summing_to_100_are_refused_beside_the_criteria(client, world, db):
    factories.login(client, world.staff)
    data = project_form(world.union, title="我填写的标题", **{"criteria-0-weight": "50"})

    response = client.post("/projects/new", data=data)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-testid="criteria-error">评审标准的权重合计应为 100，现在是 120。' in html
    assert 'value="我填写的标题"' in html
    assert _projects(db) == []


def test_a_criterion_row_with_a_weight_but_no_name_is_pointed_out(client, world, db):
    factories.login(client, world.staff)
    data = project_form(world.union, **{"criteria-4-weight": "10"})

    response = client.post("/projects/new", data=data)

    assert response.status_code == 422
    assert "请填写名称，或清空这一行。" in response.get_data(as_text=True)


def test_clearing_a_criterion_row_removes_it_and_filling_a_blank_row_adds_one(client, world, db):
    project = world.draft()
    factories.login(client, world.staff)
    data = edit_form(
        project,
        **{"criteria-3-name": "", "criteria-3-weight": "", "criteria-3-description": ""},
        **{"criteria-4-name": "宣传覆盖", "criteria-4-weight": "20"},
    )

    response = client.post(f"/projects/{project.id}/edit", data=data)

    assert response.status_code == 302
    names = db.session.scalars(
        db.select(Criterion.name).where(Criterion.project_id == project.id).order_by(Criterion.position)
    ).all()
    assert names == ["方案可行性", "服务同学实效", "预算合理性", "宣传覆盖"]


def test_a_student_may_not_open_the_posting_form(client, world):
    factories.login(client, world.manager_a)
    assert client.get("/projects/new").status_code == 403
    assert client.post("/projects/new", data=project_form(world.union)).status_code == 403


def test_only_the_posting_unions_staff_edit_a_project(client, world):
    project = world.draft()
    other_staff = factories.staff_member(factories.org(factories.OrgKind.GRADUATE_UNION))
    factories.login(client, other_staff)
    assert client.get(f"/projects/{project.id}/edit").status_code == 403


def test_drafts_are_seen_only_by_the_unions_staff_and_league_reviewers(client, app, world):
    project = world.draft(title="还没发布的草稿")
    assert client.get(f"/projects/{project.id}").status_code == 404
    factories.login(client, world.manager_a)
    assert client.get(f"/projects/{project.id}").status_code == 404
    for viewer in (world.staff, world.reviewer):
        own = app.test_client()
        factories.login(own, viewer)
        assert "还没发布的草稿" in own.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "还没发布的草稿" not in client.get("/projects").get_data(as_text=True)


def test_an_unknown_project_is_not_found(client):
    assert client.get("/projects/987654").status_code == 404
    assert client.post("/projects/987654/publish").status_code == 302  # to the login page first


def test_publishing_a_draft_opens_it_for_bidding(client, world, db):
    project = world.draft()
    factories.login(client, world.staff)

    response = client.post(f"/projects/{project.id}/publish", follow_redirects=True)

    assert "项目已发布，开始接受竞标。" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.state == ProjectState.OPEN and project.published_at is not None


def test_a_failed_project_is_reposted_as_a_new_draft_with_its_fields_and_criteria(client, world, db, clock):
    failed = world.open_project(title="流标的项目")
    clock.set(failed.bid_deadline + timedelta(minutes=1))
    factories.login(client, world.staff)
    assert "重新发榜" in client.get(f"/projects/{failed.id}").get_data(as_text=True)

    response = client.post(f"/projects/{failed.id}/repost")

    old, copy = _projects(db)
    assert response.headers["Location"].endswith(f"/projects/{copy.id}/edit")
    assert old.state == ProjectState.FAILED  # the failure the clock knew of is now on record
    assert copy.state == ProjectState.DRAFT and copy.reposted_from_id == old.id
    assert (copy.title, copy.budget_cap, copy.category, copy.description) == (
        old.title,
        old.budget_cap,
        old.category,
        old.description,
    )
    assert [(c.name, c.weight) for c in copy.bid_criteria] == [(c.name, c.weight) for c in old.bid_criteria]
    assert copy.bid_deadline > clock.now()
    assert client.get(f"/projects/{copy.id}/edit").status_code == 200


def test_only_a_failed_project_can_be_reposted(client, world, db):
    project = world.open_project()
    factories.login(client, world.staff)

    response = client.post(f"/projects/{project.id}/repost", follow_redirects=True)

    assert "只有流标的项目可以重新发榜。" in response.get_data(as_text=True)
    assert len(_projects(db)) == 1


def test_cancelling_needs_a_reason_and_tells_the_bidders(client, world, db):
    project = world.open_project()
    world.bid(project)
    factories.login(client, world.staff)

    refused = client.post(f"/projects/{project.id}/cancel", data={"reason": ""})
    assert refused.status_code == 422
    assert "此项必填。" in refused.get_data(as_text=True)

    client.post(f"/projects/{project.id}/cancel", data={"reason": "场地无法落实"})
    db.session.refresh(project)
    assert project.state == ProjectState.CANCELLED and project.cancel_reason == "场地无法落实"
    assert "场地无法落实" in client.get(f"/projects/{project.id}").get_data(as_text=True)
    from marketplace.notify.models import Notification

    told = db.session.scalars(db.select(Notification.user_id).where(Notification.kind == "project.cancelled"))
    assert set(told) == {world.manager_a.id}
