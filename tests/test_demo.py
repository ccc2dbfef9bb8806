"""`flask --app marketplace seed-demo`: the demo school, its fixed logins, and seeding at scale."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.demo.people import DEMO_ACCOUNTS
from marketplace.demo.school import term_dates
from marketplace.orgs.models import Membership, Organization, OrgKind
from marketplace.school.models import term_containing
from tests import factories

PASSWORD = "demo1234"


def run(app, *args: str):
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def row_counts(db) -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_seeding_twice_changes_nothing(app, db):
    first = run(app)
    after_first = row_counts(db)
    second = run(app)

    assert row_counts(db) == after_first
    assert "demo data created" in first.output
    assert "nothing changed" in second.output


def test_the_demo_school_has_colleges_unions_clubs_classes_and_students(app, db):
    run(app)

    kinds = dict(
        db.session.execute(select(Organization.kind, func.count()).group_by(Organization.kind)).all()
    )
    assert kinds[OrgKind.SCHOOL_UNION] == kinds[OrgKind.GRADUATE_UNION] == 1
    assert kinds[OrgKind.COLLEGE_UNION] == 6
    assert kinds[OrgKind.CLUB] == 15
    assert kinds[OrgKind.CLASS] == 24
    assert count(db, User, User.student_no.is_not(None)) >= 200
    # Every ordinary student is in a class; most classes have a 班长.
    in_a_class = select(Membership.user_id).join(Organization).where(Organization.kind == OrgKind.CLASS)
    fixed = [a.identifier for a in DEMO_ACCOUNTS]
    undergraduates = User.student_no.like("____0_%") & User.student_no.not_in(fixed)
    assert count(db, User, undergraduates, User.id.not_in(in_a_class)) == 0
    assert count(db, Membership, Membership.title == "班长") == 24


def test_options_choose_how_many_clubs_and_classes(app, db):
    run(app, "--clubs", "4", "--classes-per-college", "2")

    assert count(db, Organization, Organization.kind == OrgKind.CLUB) == 4
    classes = set(db.session.scalars(select(Organization.name).where(Organization.kind == OrgKind.CLASS)))
    # In spring 2026 the grades in school are 2022-2025: two classes per college take the oldest two.
    assert {"计科2201班", "计科2301班", "数统2201班", "数统2301班"} <= classes
    assert "计科2501班" not in classes


def test_the_printed_table_lists_every_demo_login(app):
    output = run(app).output

    assert f"密码均为 {PASSWORD}" in output
    for account in DEMO_ACCOUNTS:
        assert account.identifier in output and account.name in output


def test_the_calendar_puts_today_in_a_term(app, db, clock):
    clock.set(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    run(app)

    term = term_containing(clock.now())
    assert term is not None and term.full_name == "2026-2027学年 第一学期"
    assert term_dates(2026) == [
        ("第一学期", date(2026, 9, 7), date(2027, 1, 22)),
        ("第二学期", date(2027, 2, 22), date(2027, 7, 9)),
    ]


def test_on_the_test_clock_the_spring_term_is_under_way(app, db, clock):
    run(app)

    assert term_containing(clock.now()).full_name == "2025-2026学年 第二学期"


# identifier -> (page, what it must show, what it must not show)
EXPECTED = {
    "A0001": ("/", ['href="/admin/"', "系统管理"], []),
    "T0001": ("/", ["操作日志"], ["学生会工作台"]),
    "T0002": ("/account", ["评议人"], []),
    "2023000001": ("/", ["学生会工作台"], ["系统管理"]),
    "2023000002": ("/", ["学生会工作台"], ["系统管理"]),
    "2023000011": ("/account", ["评议人"], []),
    "2023000012": ("/account", ["评议人"], []),
    "2023000013": ("/account", ["评议人"], []),
    "2023000021": ("/orgs/mine", ["青年志愿者协会", "会长"], []),
    "2023000022": ("/orgs/mine", ["摄影协会", "会长"], []),
    "2023000031": ("/orgs/mine", ["计算机科学与技术学院学生会", "主席"], []),
    "2024000041": ("/orgs/mine", ["计科2401班", "班长"], []),
    "2024000100": ("/", ["你好，周梓萱"], ["系统管理", "学生会工作台", "我负责的组织", "操作日志"]),
    "2021000001": ("/", ["你已毕业，账号为只读"], []),
}


def test_every_demo_login_works_and_shows_what_its_role_should(app):
    run(app)
    assert set(EXPECTED) == {a.identifier for a in DEMO_ACCOUNTS if a.claimed}

    for identifier, (page, shown, hidden) in EXPECTED.items():
        client = app.test_client()
        login = client.post("/login", data={"identifier": identifier, "password": PASSWORD})
        assert login.status_code == 302, identifier
        html = client.get(page).get_data(as_text=True)
        for text in shown:
            assert text in html, f"{identifier} should see {text} on {page}"
        for text in hidden:
            assert text not in html, f"{identifier} should not see {text} on {page}"


def test_the_unclaimed_roster_student_can_claim_the_account(app, client):
    run(app)
    unclaimed = next(a for a in DEMO_ACCOUNTS if not a.claimed)

    refused = client.post("/login", data={"identifier": unclaimed.identifier, "password": PASSWORD})
    claimed = client.post(
        "/claim",
        data={
            "student_no": unclaimed.identifier,
            "name": unclaimed.name,
            "email": "xiaoman@example.edu.cn",
            "password": "xiaoman2025",
            "confirm": "xiaoman2025",
        },
    )

    assert refused.status_code != 302
    assert claimed.status_code == 200 and "xiaoman@example.edu.cn" in claimed.get_data(as_text=True)


def test_more_students_are_added_with_progress_output(app, db):
    run(app)
    users_before = count(db, User)
    class_places_before = count(db, Membership, Membership.org.has(Organization.kind == OrgKind.CLASS))

    result = run(app, "--students", "500")

    assert count(db, User) == users_before + 500
    assert (
        count(db, Membership, Membership.org.has(Organization.kind == OrgKind.CLASS))
        == class_places_before + 500
    )
    assert "追加 500 名学生" in result.output and "500 students" in result.output
    # Asking again adds another 500 after the highest 学号 so far, never reusing one.
    run(app, "--students", "500")
    assert count(db, User) == users_before + 1000


def test_if_empty_leaves_a_database_with_users_alone(app, db):
    factories.user()

    result = run(app, "--if-empty")

    assert count(db, User) == 1
    assert "not seeded" in result.output


@pytest.fixture
def production(app):
    app.config["ENV_NAME"] = "production"
    yield
    app.config["ENV_NAME"] = "testing"


def test_demo_data_is_refused_in_production(app, db, production):
    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code != 0 and "production" in result.output
    assert count(db, User) == 0
