"""Writing a bid through its pages: the rules an operation enforces show beside the field, what the
manager typed is never lost, and every save is kept as a revision."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from marketplace.audit import AuditEntry
from marketplace.bids.models import Bid, BidStatus
from marketplace.bids.queries import Validity, validity
from marketplace.bids.validity import valid_bids
from marketplace.extensions import db
from marketplace.notify.models import Notification
from marketplace.orgs.models import MemberRole, OrgKind
from marketplace.projects import operations as project_ops
from marketplace.projects.models import ProjectState
from marketplace.projects.tasks import tick
from tests import factories
from tests.bids.helpers import bid_form, signed_in, version_on
from tests.projects.helpers import project_data


def bid_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Bid))


def change_requirements(world, project, reason="预算调整", **changes):
    """Staff change the posted requirements while bidding is open (变更)."""
    data = project_data(
        bid_deadline=project.bid_deadline,
        hosting_starts_on=project.hosting_starts_on,
        hosting_ends_on=project.hosting_ends_on,
        **changes,
    )
    project_ops.update_project(world.staff, project, {**data, "version": project.version, "reason": reason})
    db.session.commit()


def test_a_manager_submits_a_bid_and_lands_on_it_with_the_plan_rendered_safely(app, world, project):
    client = signed_in(app, world.manager_a)
    page = client.get(f"/projects/{project.id}/bid")
    assert page.status_code == 200
    assert "不超过本项目预算上限 5000.00 元" in page.get_data(as_text=True)

    plan = "### 实施步骤\n<script>alert('x')</script>\n**每周两次**答疑"
    response = client.post(f"/projects/{project.id}/bid", data=bid_form(plan=plan))

    bid = db.session.scalars(select(Bid)).one()
    assert response.status_code == 302 and response.location.endswith(f"/bids/{bid.public_id}")
    shown = client.get(response.location).get_data(as_text=True)
    assert "<h3>实施步骤</h3>" in shown and "<strong>每周两次</strong>" in shown
    assert "<script>alert" not in shown
    assert bid.requested_budget == Decimal("4000.00") and bid.created_by_id == world.manager_a.id


def test_a_budget_over_the_cap_is_refused_beside_the_budget_field(app, world, project):
    response = signed_in(app, world.manager_a).post(
        f"/projects/{project.id}/bid", data=bid_form(requested_budget="5000.01", summary="超预算的方案")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    budget_field = page.split('name="requested_budget"')[1].split('name="timeline"')[0]
    assert "申请预算不能超过项目预算上限 5000.00 元" in budget_field
    assert "超预算的方案" in page  # what was typed stays
    assert bid_count() == 0


@pytest.mark.parametrize("ticked", [False, True], ids=["no-tick", "after-tick"])
def test_a_bid_one_second_after_the_deadline_is_refused(app, world, project, clock, ticked):
    client = signed_in(app, world.manager_a)
    clock.set(project.bid_deadline + timedelta(seconds=1))
    if ticked:
        tick()

    response = client.post(f"/projects/{project.id}/bid", data=bid_form(summary="迟到的方案"))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "竞标已截止" in page and "迟到的方案" in page
    assert bid_count() == 0


def test_a_manager_of_an_ineligible_kind_is_refused(app, world, project):
    a_class = factories.org(OrgKind.CLASS, name="计科2401班")
    monitor = factories.manager_of(a_class, name="班长")
    client = signed_in(app, monitor)

    assert "本项目不接受班级竞标" in client.get(f"/projects/{project.id}/bid").get_data(as_text=True)
    response = client.post(f"/projects/{project.id}/bid", data=bid_form())

    assert response.status_code == 422
    assert "本项目不接受班级竞标" in response.get_data(as_text=True)
    assert bid_count() == 0


def test_only_managers_of_bidding_organizations_reach_the_bid_form(app, world, project):
    assert signed_in(app, factories.user()).get(f"/projects/{project.id}/bid").status_code == 403
    assert signed_in(app, world.staff).get(f"/projects/{project.id}/bid").status_code == 403
    assert signed_in(app, None).get(f"/projects/{project.id}/bid").status_code == 302
    manager = signed_in(app, world.manager_a)
    assert manager.get("/projects/999999/bid").status_code == 404
    assert manager.get("/bids/no-such-bid").status_code == 404
    assert manager.get(f"/projects/{project.id}/bid?org={world.club_b.id}").status_code == 404


def test_a_draft_project_has_no_bid_page(app, world):
    draft = project_ops.create_draft(world.staff, {**project_data(), "union_id": world.union.id})
    db.session.commit()
    assert signed_in(app, world.manager_a).get(f"/projects/{draft.id}/bid").status_code == 404


def test_a_manager_of_two_clubs_chooses_which_one_bids(app, world, project):
    world.bid(project, summary="学业互助社的方案")
    factories.membership(world.manager_a, world.club_b, MemberRole.MANAGER)
    client = signed_in(app, world.manager_a)

    first = client.get(f"/projects/{project.id}/bid").get_data(as_text=True)
    other = client.get(f"/projects/{project.id}/bid?org={world.club_b.id}").get_data(as_text=True)

    assert 'data-testid="org-switch"' in first and "学业互助社的方案" in first
    assert "学业互助社的方案" not in other and version_on(other) == ""
    client.post(
        f"/projects/{project.id}/bid?org={world.club_b.id}", data=bid_form(summary="志愿者协会的方案")
    )
    assert {bid.org_id for bid in db.session.scalars(select(Bid))} == {world.club_a.id, world.club_b.id}


def test_the_team_is_chosen_from_the_clubs_current_members(app, world, project):
    member = factories.user(name="周同学")
    factories.membership(member, world.club_a)
    outsider = factories.user(name="外人")
    client = signed_in(app, world.manager_a)
    assert "周同学" in client.get(f"/projects/{project.id}/bid").get_data(as_text=True)

    refused = client.post(f"/projects/{project.id}/bid", data=bid_form(team=[member.id, outsider.id]))
    assert refused.status_code == 422
    assert "团队成员必须是本组织的现任成员" in refused.get_data(as_text=True)

    client.post(f"/projects/{project.id}/bid", data=bid_form(team=[member.id]))
    bid = db.session.scalars(select(Bid)).one()
    assert bid.team == [member.id]
    assert "周同学" in client.get(f"/bids/{bid.public_id}").get_data(as_text=True)


def test_a_second_new_bid_by_the_same_club_gets_the_friendly_message_and_keeps_the_text(app, world, project):
    manager_a2 = factories.manager_of(world.club_a, name="学业互助社副社长")
    tab_one, tab_two = signed_in(app, world.manager_a), signed_in(app, manager_a2)
    tab_one.get(f"/projects/{project.id}/bid")
    tab_two.get(f"/projects/{project.id}/bid")

    assert tab_one.post(f"/projects/{project.id}/bid", data=bid_form(summary="第一份")).status_code == 302
    response = tab_two.post(f"/projects/{project.id}/bid", data=bid_form(summary="另起炉灶的第二份"))

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "本组织已经提交过这个项目的标书" in page and "另起炉灶的第二份" in page
    assert bid_count() == 1 and db.session.scalars(select(Bid)).one().summary == "第一份"


def test_a_stale_tab_is_refused_nothing_is_lost_and_every_revision_is_kept(app, world, project):
    bid = world.bid(project, summary="初稿")
    manager_a2 = factories.manager_of(world.club_a, name="学业互助社副社长")
    tab_one, tab_two = signed_in(app, world.manager_a), signed_in(app, manager_a2)
    url = f"/projects/{project.id}/bid"
    version_one = version_on(tab_one.get(url).get_data(as_text=True))
    version_two = version_on(tab_two.get(url).get_data(as_text=True))

    saved = tab_one.post(url, data=bid_form(summary="社长的修改", version=version_one))
    stale = tab_two.post(url, data=bid_form(summary="副社长在旧页面上的修改", version=version_two))

    assert saved.status_code == 302
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "这份标书刚在别处被修改过" in page
    assert "副社长在旧页面上的修改</textarea>" in page  # the typed text stays in the field
    latest = page.split('data-testid="latest-version"')[1].split("</details>")[0]
    assert "社长的修改" in latest
    db.session.refresh(bid)
    assert bid.summary == "社长的修改"

    # Having compared, the second manager saves on purpose: the refreshed page carries the new version.
    again = tab_two.post(url, data=bid_form(summary="副社长对照后的修改", version=version_on(page)))
    assert again.status_code == 302
    db.session.refresh(bid)
    assert [(r.number, r.content["summary"]) for r in bid.revisions] == [
        (1, "初稿"),
        (2, "社长的修改"),
        (3, "副社长对照后的修改"),
    ]
    assert [r.author_id for r in bid.revisions] == [world.manager_a.id, world.manager_a.id, manager_a2.id]


def test_withdrawing_then_bidding_again_reactivates_the_same_bid(app, world, project):
    bid = world.bid(project, summary="第一次")
    client = signed_in(app, world.manager_a)

    assert client.post(f"/bids/{bid.public_id}/withdraw").status_code == 302
    db.session.refresh(bid)
    assert bid.status == BidStatus.WITHDRAWN
    form_page = client.get(f"/projects/{project.id}/bid").get_data(as_text=True)
    assert "这份标书已撤回" in form_page

    response = client.post(
        f"/projects/{project.id}/bid", data=bid_form(summary="重新提交", version=version_on(form_page))
    )

    assert response.location.endswith(f"/bids/{bid.public_id}")
    db.session.refresh(bid)
    assert bid_count() == 1 and bid.status == BidStatus.SUBMITTED and bid.summary == "重新提交"
    assert [r.number for r in bid.revisions] == [1, 2]
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_id == bid.public_id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["bid.submit", "bid.withdraw", "bid.resubmit"]


def test_a_requirement_change_asks_for_reconfirmation_and_the_confirm_button_restores_validity(
    app, world, project
):
    bid = world.bid(project, requested_budget=Decimal("3000"))
    change_requirements(world, project, budget_cap=Decimal("4500.00"))
    client = signed_in(app, world.manager_a)

    shown = client.get(f"/bids/{bid.public_id}").get_data(as_text=True)
    assert 'data-testid="needs-confirmation"' in shown and "项目要求有变更" in shown
    assert "需要重新确认" in client.get("/bids/mine").get_data(as_text=True)

    assert client.post(f"/bids/{bid.public_id}/confirm").status_code == 302
    db.session.refresh(bid)
    assert bid.confirmed and valid_bids(project) == [bid]


def test_confirming_a_bid_above_a_lowered_cap_is_refused_with_the_reason(app, world, project):
    bid = world.bid(project, requested_budget=Decimal("4000"))
    change_requirements(world, project, budget_cap=Decimal("3000.00"))

    response = signed_in(app, world.manager_a).post(f"/bids/{bid.public_id}/confirm")

    assert response.status_code == 422
    assert "项目预算上限已调整，请先修改申请预算再确认" in response.get_data(as_text=True)
    db.session.refresh(bid)
    assert not bid.confirmed


def test_a_rival_cannot_write_to_another_clubs_bid(app, world, project):
    bid = world.bid(project)
    rival = signed_in(app, world.manager_b)
    assert rival.post(f"/bids/{bid.public_id}/withdraw").status_code == 404
    assert rival.post(f"/bids/{bid.public_id}/confirm").status_code == 404
    db.session.refresh(bid)
    assert bid.status == BidStatus.SUBMITTED


def test_the_project_bid_list_names_why_each_bid_does_or_does_not_count(app, world, project, clock):
    college_union = factories.org(OrgKind.COLLEGE_UNION, name="计算机学院学生会")
    clubs = [world.club_a, world.club_b, factories.org(OrgKind.CLUB, name="辩论社"), college_union]
    managers = [world.manager_a, world.manager_b] + [factories.manager_of(o) for o in clubs[2:]]
    budgets = ["3000", "3500", "4500", "3000"]
    bids = [
        world.bid(project, manager, org, requested_budget=Decimal(budget))
        for manager, org, budget in zip(managers, clubs, budgets, strict=True)
    ]
    change_requirements(world, project, budget_cap=Decimal("4000.00"), allow_college_union=False)
    signed_in(app, world.manager_a).post(f"/bids/{bids[0].public_id}/confirm")
    clock.set(project.bid_deadline + timedelta(minutes=1))
    tick()

    page = signed_in(app, world.staff).get(f"/projects/{project.id}/bids").get_data(as_text=True)

    expected = [Validity.VALID, Validity.UNCONFIRMED, Validity.OVER_CAP, Validity.INELIGIBLE]
    for bid, verdict in zip(bids, expected, strict=True):
        db.session.refresh(bid)
        assert validity(bid) == verdict
        row = page.split(f"/bids/{bid.public_id}")[1].split("</tr>")[0]
        assert str(verdict.label) in row
    assert valid_bids(project) == [bids[0]]  # the SQL rule agrees with the labels


def told(kind: str) -> list[int]:
    return sorted(db.session.scalars(select(Notification.user_id).where(Notification.kind == kind)))


def test_after_the_deadline_an_unconfirmed_bid_says_it_does_not_count_and_its_managers_are_told(
    app, world, project, clock
):
    bid = world.bid(project, requested_budget=Decimal("3000"))
    rival = world.bid(project, world.manager_b, world.club_b, requested_budget=Decimal("3000"))
    change_requirements(world, project, budget_cap=Decimal("4500.00"))
    signed_in(app, world.manager_b).post(f"/bids/{rival.public_id}/confirm")
    clock.set(project.bid_deadline + timedelta(minutes=1))
    tick()

    client = signed_in(app, world.manager_a)
    for page in (f"/bids/{bid.public_id}", "/bids/mine"):
        shown = client.get(page).get_data(as_text=True)
        assert "未重新确认，不计为有效标书" in shown and "需要重新确认" not in shown, page
    assert told("bid.unconfirmed") == [world.manager_a.id]


def test_a_project_that_fails_for_want_of_a_confirmed_bid_tells_every_unconfirmed_bidder(
    world, project, clock
):
    world.bid(project)
    world.bid(project, world.manager_b, world.club_b)
    change_requirements(world, project, allow_class=True)
    clock.set(project.bid_deadline + timedelta(minutes=1))
    tick()

    db.session.refresh(project)
    assert project.state == ProjectState.FAILED
    assert told("bid.unconfirmed") == sorted([world.manager_a.id, world.manager_b.id])
