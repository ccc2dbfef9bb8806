"""The list, the project page and the staff dashboard: what they show, to whom, in how many queries."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from marketplace.opendata.tasks import build_periodically as build_open_data
from marketplace.projects import lifecycle, queries
from marketplace.projects import operations as project_ops
from marketplace.projects.models import ProjectState
from marketplace.projects.tasks import tick
from tests import factories
from tests.projects.helpers import project_data


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def _make_open_projects(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        world.open_project(title=f"项目{i}")


def test_the_list_shows_open_projects_first_then_the_newest(client, world, clock):
    world.open_project(title="先发布的项目", days=3)
    clock.shift(timedelta(days=1))
    world.open_project(title="后发布的项目", days=10)
    clock.shift(timedelta(days=3))  # the first one's bidding has now closed

    html = client.get("/projects").get_data(as_text=True)

    assert html.index("后发布的项目") < html.index("先发布的项目")
    assert "流标" in html


def test_the_list_filters_by_category_and_eligible_kind(client, world):
    world.open_project(title="班级可以竞标的项目", category="career", allow_class=True)
    world.open_project(title="只给社团的项目", allow_college_union=False)

    by_kind = client.get("/projects?kind=class").get_data(as_text=True)
    assert "班级可以竞标的项目" in by_kind and "只给社团的项目" not in by_kind
    by_category = client.get("/projects?category=career").get_data(as_text=True)
    assert "班级可以竞标的项目" in by_category and "只给社团的项目" not in by_category
    assert client.get("/projects?status=nonsense").status_code == 200


def test_a_bid_leaves_no_trace_on_the_public_pages(client, world, clock, tmp_path, monkeypatch):
    monkeypatch.setitem(
        client.application.config, "UPLOAD_DIR", str(tmp_path)
    )  # the test's own bulk download
    project = world.open_project()
    world.open_project(title="另一个项目")
    urls = ("/projects", f"/projects/{project.id}", "/open-data", f"/open-data/projects/{project.id}.json")
    build_open_data()
    before = [_without_tokens(client.get(url).get_data(as_text=True)) for url in urls]
    download = client.get("/open-data/download").get_data()

    clock.shift(timedelta(minutes=1))  # a rebuild that rewrote the download would now date it later
    world.bid(project)
    build_open_data()

    after = [_without_tokens(client.get(url).get_data(as_text=True)) for url in urls]
    assert after == before
    assert client.get("/open-data/download").get_data() == download


def test_the_bid_count_is_sealed_for_everyone_until_the_deadline_and_managers_see_the_bid_button(
    client, app, world, clock
):
    project = world.open_project()
    world.bid(project)
    admin = factories.user(kind="faculty", roles=("admin",))
    readers = {"anonymous": app.test_client()}
    for name, user in {"staff": world.staff, "reviewer": world.reviewer, "admin": admin}.items():
        readers[name] = app.test_client()
        factories.login(readers[name], user)
    for name, reader in readers.items():
        page = reader.get(f"/projects/{project.id}").get_data(as_text=True)
        assert 'data-testid="bid-count">截止后公开' in page and "1 份" not in page, name

    manager = app.test_client()
    factories.login(manager, world.manager_b)
    page = manager.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'href="/projects/{project.id}/bid"' in page and 'data-testid="bid-count">截止后公开' in page

    clock.set(project.bid_deadline)
    tick()
    for name, reader in readers.items():
        page = reader.get(f"/projects/{project.id}").get_data(as_text=True)
        assert 'data-testid="bid-count">1 份' in page, name


def test_the_page_shows_the_tie_break_rule_and_a_timeline_without_bid_events(client, world, clock):
    project = world.open_project()
    world.bid(project)
    clock.set(project.bid_deadline)
    tick()

    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    timeline = html[html.index('data-testid="timeline"') :]
    assert "正式发布，开始竞标" in timeline and "竞标截止，进入评标" in timeline
    assert "bid." not in timeline
    assert "申请预算较低的标书排在前面" in html and "SHA-256" in html


def test_a_hosted_project_names_its_host_with_a_link_to_the_hosts_page(client, world, db):
    project = world.open_project(title="有承办方的项目")
    before = client.get(project.url).get_data(as_text=True)
    project.host_org_id = world.club_a.id  # straight there: the award is tested in tests/review
    db.session.commit()

    after = client.get(project.url).get_data(as_text=True)

    assert 'data-testid="host"' not in before
    assert f'data-testid="host"><a href="{world.club_a.url}">{world.club_a.name}</a>' in after


def test_the_project_list_queries_do_not_grow_with_projects(client, world, count_queries):
    _make_open_projects(world, 3)
    few = count_queries(lambda: client.get("/projects"))
    _make_open_projects(world, 27, start=3)
    many = count_queries(lambda: client.get("/projects"))
    assert many == few


def test_the_staff_dashboard_queries_do_not_grow_with_projects(client, world, count_queries):
    factories.login(client, world.staff)
    _make_open_projects(world, 2)
    world.draft(title="草稿")
    few = count_queries(lambda: client.get("/staff"))
    _make_open_projects(world, 27, start=2)
    for project in [p for p in world.union_projects() if p.state == "open"][::3]:
        world.bid(project, manager=world.manager_b, org=world.club_b)
    many = count_queries(lambda: client.get("/staff"))
    assert many == few


def test_the_staff_dashboard_counts_projects_by_state_but_not_the_bids_on_open_ones(client, world):
    open_one = world.open_project(title="竞标中的项目")
    world.bid(open_one)
    world.draft(title="草稿项目")
    world.pending_project(title="待审核项目")
    factories.login(client, world.staff)

    html = client.get("/staff").get_data(as_text=True)

    counts = html[html.index('data-testid="state-counts"') : html.index('data-testid="projects"')]
    assert re.search(r'data-state="open">竞标中 <span class="badge text-bg-light">1</span>', counts)
    assert re.search(r'data-state="draft">草稿 <span class="badge text-bg-light">1</span>', counts)
    assert 'data-testid="bid-count">标书份数截止后公开' in html and "1 份标书" not in html
    only_drafts = client.get("/staff?status=draft").get_data(as_text=True)
    assert "草稿项目" in only_drafts and "竞标中的项目" not in only_drafts


def test_the_project_page_queries_do_not_grow_with_criteria_questions_and_changes(
    client, world, db, count_queries
):
    def project_with(n: int):
        criteria = [{"name": f"标准{i}", "description": "", "weight": 100 // n} for i in range(n)]
        criteria[0]["weight"] += 100 - sum(c["weight"] for c in criteria)
        project = world.open_project(criteria=criteria)
        for i in range(n):
            project_ops.ask_question(world.manager_a, project, {"body": f"问题{i}"})
            db.session.commit()
            project_ops.update_project(
                world.staff,
                project,
                {
                    **project_data(criteria=criteria, title=f"标题{i}"),
                    "version": project.version,
                    "reason": "改",
                },
            )
            db.session.commit()
        return project

    small, large = project_with(2), project_with(6)
    factories.login(client, world.staff)
    assert count_queries(lambda: client.get(f"/projects/{large.id}")) == count_queries(
        lambda: client.get(f"/projects/{small.id}")
    )


def test_the_tick_command_persists_due_transitions(app, world, db, clock):
    project = world.open_project()
    clock.set(project.bid_deadline)

    result = app.test_cli_runner().invoke(args=["tick"])

    assert result.exit_code == 0 and "transitions: 1" in result.output
    db.session.refresh(project)
    assert project.state == "failed"


def test_the_menu_and_home_lead_each_role_to_its_project_pages(client, app, world):
    assert 'href="/projects">项目</a>' in client.get("/").get_data(as_text=True)
    for user, link in (
        (world.staff, "/staff"),
        (world.reviewer, "/review/approvals"),
        (world.manager_a, "/bids/mine"),
    ):
        own = app.test_client()
        factories.login(own, user)
        assert f'href="{link}"' in own.get("/").get_data(as_text=True)


def test_the_staff_dashboard_pages_through_the_states_in_lifecycle_order_as_the_clock_has_moved_them(
    world, clock
):
    """Each page reads only the states it spans: walked page by page, the list is every project of the
    union, by effective state in lifecycle order and newest first within one — with the projects whose
    deadline has passed counted and listed where the tick will move them, before it has."""
    reviewed = world.open_project(title="截止后评审", days=1)
    world.bid(reviewed)
    clock.shift(timedelta(hours=1))
    failed = world.open_project(title="截止时无人竞标", days=1)
    for i in range(2):
        clock.shift(timedelta(hours=1))
        world.open_project(title=f"竞标中{i}", days=10)
    for i in range(3):
        clock.shift(timedelta(hours=1))
        world.draft(title=f"草稿{i}")
    world.pending_project(title="待审核")
    clock.shift(timedelta(days=2))  # the first two deadlines have passed; no tick has run

    order = list(ProjectState)
    projects = world.union_projects()
    expected = sorted(
        projects, key=lambda p: (order.index(lifecycle.effective_state(p)), -p.created_at.timestamp(), -p.id)
    )
    unions = {world.union.id}
    counts = queries.union_state_counts(unions)
    assert counts == Counter(lifecycle.effective_state(p).value for p in projects)
    assert counts["reviewing"] == counts["failed"] == 1 and "open" in counts

    walked = []
    for number in range(1, 6):
        page = queries.union_projects(unions, counts, per_page=2, page=number)
        assert page.total == len(projects) and page.pages == 4
        walked += [(project, effective) for project, effective in page.items]
    assert [p for p, _state in walked] == expected
    assert all(state == lifecycle.effective_state(p) for p, state in walked)
    reviewing = queries.union_projects(unions, counts, status="reviewing", per_page=2, page=1)
    assert [p for p, _state in reviewing.items] == [reviewed] and reviewing.total == 1
    assert [
        p.id for p, _s in queries.union_projects(unions, counts, status="failed", per_page=2, page=1).items
    ] == [failed.id]
