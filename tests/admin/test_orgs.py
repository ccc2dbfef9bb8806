"""Organizations and memberships: creating, appointing by 学号/工号 and ending a membership, which
gives and takes away the right to act for the organization."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from marketplace import permissions
from marketplace.accounts.models import AccountStatus, User
from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.orgs.models import College, MemberRole, Membership, Organization, OrgKind
from tests import factories
from tests.admin.helpers import error_beside, value_of


def appoint(client, org, number, role="manager", **fields):
    return client.post(f"/admin/orgs/{org.id}/members", data={"number": number, "role": role, **fields})


def test_appointing_a_manager_lets_them_act_for_the_org_and_ending_it_takes_that_away(as_admin, clock):
    club = factories.org(OrgKind.CLUB, name="书法社")
    student = factories.user(number="2024123456")
    assert not permissions.can(student, "org.act_for", club)

    assert appoint(as_admin, club, "2024123456", title="社长").status_code == 302
    student = db.session.get(User, student.id)
    assert permissions.can(student, "org.act_for", club)
    membership = db.session.scalar(select(Membership).where(Membership.user_id == student.id))
    assert (membership.role, membership.title, membership.starts_on) == (
        MemberRole.MANAGER,
        "社长",
        clock.today_local(),
    )

    assert as_admin.post(f"/admin/memberships/{membership.id}/end", data={}).status_code == 302
    assert db.session.get(Membership, membership.id).ends_on == clock.today_local()
    clock.shift(timedelta(days=1))  # the end date is the last day in office
    assert not permissions.can(db.session.get(User, student.id), "org.act_for", club)


def test_ending_a_membership_on_a_past_date_takes_effect_at_once(as_admin, clock):
    club = factories.org(OrgKind.CLUB)
    manager = factories.manager_of(club)  # since 2025-09-01
    [membership] = manager.memberships
    assert permissions.can(manager, "org.act_for", club)
    response = as_admin.post(f"/admin/memberships/{membership.id}/end", data={"ends_on": "2026-03-01"})
    assert response.status_code == 302
    assert not permissions.can(db.session.get(User, manager.id), "org.act_for", club)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "membership.end")).all()
    assert (entry.before["ends_on"], entry.after["ends_on"]) == (None, "2026-03-01")


def test_an_end_date_before_the_start_is_refused_beside_that_membership(as_admin):
    club = factories.org(OrgKind.CLUB)
    manager = factories.manager_of(club)
    [membership] = manager.memberships
    response = as_admin.post(f"/admin/memberships/{membership.id}/end", data={"ends_on": "2025-01-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_beside(page, "ends_on") == "结束日期不能早于开始日期。"
    assert 'value="2025-01-01"' in page
    assert db.session.get(Membership, membership.id).ends_on is None


def test_appointing_an_unknown_number_says_so_beside_the_field(as_admin):
    club = factories.org(OrgKind.CLUB)
    response = appoint(as_admin, club, "2099000000", title="社长")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(page, "number") == "没有学号或工号为“2099000000”的账号，请核对后再试。"
    assert value_of(page, "number") == "2099000000" and value_of(page, "title") == "社长"
    assert db.session.scalar(select(Membership)) is None


def test_a_deactivated_account_cannot_be_appointed(as_admin):
    club = factories.org(OrgKind.CLUB)
    factories.user(name="钱七", number="2024000321", status=AccountStatus.DEACTIVATED)
    response = appoint(as_admin, club, "2024000321")
    assert response.status_code == 422
    assert "不能任职" in error_beside(response.get_data(as_text=True), "number")


def test_overlapping_periods_in_one_org_are_refused(as_admin):
    club = factories.org(OrgKind.CLUB)
    member = factories.user()
    factories.membership(member, club, starts_on=date(2025, 9, 1))
    response = appoint(as_admin, club, member.student_no, starts_on="2026-01-01")
    assert response.status_code == 422
    assert "重叠" in error_beside(response.get_data(as_text=True), "starts_on")


def test_the_org_page_lists_current_and_past_members(as_admin):
    union = factories.org(OrgKind.SCHOOL_UNION, name="校学生会")
    current = factories.user(name="现任主席")
    former = factories.user(name="前任主席")
    factories.membership(current, union, MemberRole.MANAGER, title="主席", starts_on=date(2025, 9, 1))
    factories.membership(
        former, union, MemberRole.MANAGER, title="主席", starts_on=date(2024, 9, 1), ends_on=date(2025, 8, 31)
    )
    page = as_admin.get(f"/admin/orgs/{union.id}").get_data(as_text=True)
    current_part, past_part = page.split('data-testid="past-members"')
    assert "现任主席" in current_part and "前任主席" not in current_part
    assert "前任主席" in past_part and "2025-08-31" in past_part


def test_creating_an_org_is_audited_and_a_class_needs_a_college(as_admin):
    response = as_admin.post("/admin/orgs/new", data={"name": "2025级1班", "kind": "class", "college_id": ""})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "college_id") == "院系学生会和班级必须属于一个学院。"

    college = factories.college("数学学院")
    form = {"name": "2025级1班", "kind": "class", "college_id": str(college.id), "is_active": "y"}
    assert as_admin.post("/admin/orgs/new", data=form).status_code == 302
    created = db.session.scalar(select(Organization).where(Organization.name == "2025级1班"))
    assert created.college_id == college.id and created.is_active
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.subject_type == "organization"))
        == "org.create"
    )


def test_colleges_are_added_and_renamed(as_admin):
    assert as_admin.post("/admin/colleges/new", data={"name": "化学学院", "code": "CHEM"}).status_code == 302
    college = db.session.scalar(select(College).where(College.name == "化学学院"))
    form = {"name": "化学与材料学院", "code": "CHEM"}
    assert as_admin.post(f"/admin/colleges/{college.id}/edit", data=form).status_code == 302
    assert db.session.get(College, college.id).name == "化学与材料学院"
    response = as_admin.post("/admin/colleges/new", data={"name": "化学与材料学院"})
    assert response.status_code == 422 and "已有同名学院。" in response.get_data(as_text=True)


def test_the_org_list_searches_and_filters_by_kind(as_admin):
    factories.org(OrgKind.CLUB, name="天文社")
    factories.org(OrgKind.SCHOOL_UNION, name="某大学学生会")

    def listed(**query):
        page = as_admin.get("/admin/orgs", query_string=query).get_data(as_text=True)
        return {name for name in ("天文社", "某大学学生会") if name in page}

    assert listed(q="天文") == {"天文社"}
    assert listed(kind="school_union") == {"某大学学生会"}
