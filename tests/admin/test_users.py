"""Managing accounts: the list, creating and editing (audited), and a refused form that keeps what
was typed with the reason beside the field."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import AccountKind, AccountStatus, DegreeLevel, SiteRole, User
from marketplace.audit import AuditEntry
from marketplace.extensions import db
from marketplace.orgs.models import MemberRole, OrgKind
from tests import factories
from tests.admin.helpers import error_beside, value_of


def user_form(**overrides) -> dict:
    data = {
        "kind": "student",
        "identifier": "2025000001",
        "name": "赵敏",
        "college_id": "",
        "grade": "2025",
        "degree_level": "",
        "phone": "13800001111",
        "email": "zhaomin@example.edu.cn",
        "political_status": "league_member",
        "status": "active",
    }
    data.update(overrides)
    return data


def entries(action: str) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_creating_a_user_stores_the_account_and_writes_the_audit_log(as_admin, admin):
    college = factories.college("外国语学院")
    response = as_admin.post(
        "/admin/users/new", data=user_form(college_id=str(college.id), roles=["evaluator"])
    )
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.student_no == "2025000001"))
    assert response.headers["Location"] == f"/admin/users/{created.id}"
    assert (created.name, created.college_id, created.grade) == ("赵敏", college.id, 2025)
    assert created.political_status == "league_member" and created.has_role(SiteRole.EVALUATOR)
    [create] = entries("user.create")
    assert create.actor_id == admin.id and create.subject_id == str(created.id)
    assert create.after["name"] == "赵敏" and create.before is None
    [roles] = entries("user.roles")
    assert roles.after == {"roles": ["evaluator"]}


def test_editing_a_user_records_what_changed(as_admin, admin):
    student = factories.user(name="张三", phone="13900000000")
    form = user_form(identifier=student.student_no, name="张三丰", email=student.email, phone="13900000000")
    assert as_admin.post(f"/admin/users/{student.id}/edit", data=form).status_code == 302
    assert db.session.get(User, student.id).name == "张三丰"
    [update] = entries("user.update")
    assert update.actor_id == admin.id
    assert update.before["name"] == "张三" and update.after["name"] == "张三丰"


def test_an_admin_sets_a_students_degree_level_and_a_faculty_account_has_none(as_admin):
    student = factories.user(name="张三")
    form = user_form(identifier=student.student_no, name="张三", email=student.email, degree_level="doctoral")
    assert as_admin.post(f"/admin/users/{student.id}/edit", data=form).status_code == 302
    assert db.session.get(User, student.id).degree_level == DegreeLevel.DOCTORAL
    [update] = entries("user.update")
    assert (update.before["degree_level"], update.after["degree_level"]) == ("undergraduate", "doctoral")
    page = as_admin.get(f"/admin/users/{student.id}").get_data(as_text=True)
    assert "学历层次" in page and "博士" in page

    teacher = dict(form, kind="faculty", identifier="T90002", grade="")
    assert as_admin.post(f"/admin/users/{student.id}/edit", data=teacher).status_code == 302
    assert db.session.get(User, student.id).degree_level is None


@pytest.mark.parametrize(("kind", "level"), [("student", None), ("faculty", DegreeLevel.MASTER)])
def test_the_database_refuses_a_student_without_a_degree_level_or_a_teacher_with_one(app, kind, level):
    account = factories.user(kind=AccountKind(kind))
    with pytest.raises(IntegrityError):
        db.session.execute(update(User).where(User.id == account.id).values(degree_level=level))
    db.session.rollback()


def test_the_edit_form_starts_from_the_account_as_it_is(as_admin):
    faculty = factories.user(kind=AccountKind.FACULTY, number="T90001", roles=("league_reviewer",))
    page = as_admin.get(f"/admin/users/{faculty.id}/edit").get_data(as_text=True)
    assert value_of(page, "identifier") == "T90001"
    assert re.search(r'<input checked[^>]*name="roles" type="checkbox" value="league_reviewer">', page)
    assert not re.search(r'<input checked[^>]*value="admin">', page)
    assert '<option selected value="faculty">' in page


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("identifier", "2024999999", "该学号/工号已被其他账号使用。"),
        ("email", "not-an-email", "请输入有效的邮箱地址。"),
        ("name", "", "此项必填。"),
    ],
)
def test_a_refused_user_form_says_why_beside_the_field_and_keeps_what_was_typed(
    as_admin, field, typed, message
):
    factories.user(number="2024999999")
    form = user_form(**{field: typed, "phone": "13812345678"})
    response = as_admin.post("/admin/users/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(page, field) == message
    assert value_of(page, "phone") == "13812345678"
    assert value_of(page, field) in (typed, None if typed == "" else typed)
    assert db.session.scalar(select(User).where(User.phone == "13812345678")) is None
    assert not entries("user.create")


def test_deactivating_a_user_is_a_status_change_and_stops_their_sign_in(as_admin, client):
    student = factories.user()
    form = user_form(
        identifier=student.student_no, name=student.name, email=student.email, status="deactivated"
    )
    assert as_admin.post(f"/admin/users/{student.id}/edit", data=form).status_code == 302
    assert db.session.get(User, student.id).status == AccountStatus.DEACTIVATED
    [update] = entries("user.update")
    assert (update.before["status"], update.after["status"]) == ("active", "deactivated")


def test_an_admin_cannot_deactivate_their_own_account(as_admin, admin):
    form = user_form(
        kind="faculty",
        identifier=admin.staff_no,
        name=admin.name,
        email=admin.email,
        status="deactivated",
        roles=["admin"],
    )
    response = as_admin.post(f"/admin/users/{admin.id}/edit", data=form)
    assert response.status_code == 422
    assert "不能停用自己的账号" in error_beside(response.get_data(as_text=True), "status")
    assert db.session.get(User, admin.id).status == AccountStatus.ACTIVE


def test_the_user_list_searches_name_number_and_email_in_any_case(as_admin):
    factories.user(name="欧阳修", email="Ouyang.Xiu@Example.edu.cn", number="2023000777")
    factories.user(name="苏轼", email="su@example.edu.cn")
    for query in ("欧阳", "000777", "OUYANG.xiu"):
        page = as_admin.get("/admin/users", query_string={"q": query}).get_data(as_text=True)
        assert "欧阳修" in page and "苏轼" not in page, query


def test_the_user_list_filters_by_kind_status_role_and_college(as_admin):
    law = factories.college("法学院")
    factories.user(name="在读法学生", college=law)
    factories.user(name="已毕业学生", status=AccountStatus.GRADUATED)
    factories.user(name="评议老师", kind=AccountKind.FACULTY, roles=("evaluator",))

    def names(**query):
        page = as_admin.get("/admin/users", query_string=query).get_data(as_text=True)
        return {n for n in ("在读法学生", "已毕业学生", "评议老师") if n in page}

    assert names(college_id=law.id) == {"在读法学生"}
    assert names(status="graduated") == {"已毕业学生"}
    assert names(role="evaluator") == {"评议老师"}
    assert names(kind="faculty") == {"评议老师"}
    assert names(kind="nonsense") == {"在读法学生", "已毕业学生", "评议老师"}


def test_the_user_list_costs_the_same_queries_for_3_or_30_rows(as_admin, count_queries):
    college = factories.college()
    club = factories.org(OrgKind.CLUB)

    def add(n):
        for _ in range(n):
            u = factories.user(college=college, roles=("evaluator",))
            factories.membership(u, club)

    add(3)
    few = count_queries(lambda: as_admin.get("/admin/users"))
    add(27)
    many = count_queries(lambda: as_admin.get("/admin/users"))
    assert many == few


def test_the_user_page_shows_phone_memberships_and_recent_audit_entries(as_admin):
    student = factories.user(name="李华", phone="13711112222")
    factories.membership(
        student, factories.org(OrgKind.CLUB, name="围棋社"), MemberRole.MANAGER, title="社长"
    )
    as_admin.post(
        f"/admin/users/{student.id}/edit",
        data=user_form(
            identifier=student.student_no, name="李华", email=student.email, phone="13711112222", grade="2023"
        ),
    )
    page = as_admin.get(f"/admin/users/{student.id}").get_data(as_text=True)
    assert "13711112222" in page
    assert "围棋社" in page and "社长" in page
    assert "user.update" in page and "2023" in page
