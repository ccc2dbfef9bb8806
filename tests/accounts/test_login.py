"""Signing in: by 学号, 工号 or email; who is refused; graduates read-only; failed logins rate-limited."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import AccountKind, AccountStatus
from marketplace.extensions import limiter
from tests import factories
from tests.accounts.pages import OFF_SITE


def attempt(client, identifier: str, password: str = factories.PASSWORD):
    return client.post("/login", data={"identifier": identifier, "password": password})


def test_a_student_logs_in_with_the_student_number(client):
    factories.user(number="2024000123")
    assert attempt(client, "2024000123").status_code == 302


def test_faculty_log_in_with_the_staff_number(client):
    teacher = factories.user(kind=AccountKind.FACULTY, number="T90001")
    response = attempt(client, "T90001")
    assert response.status_code == 302
    assert f"你好，{teacher.name}" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "typed", ["li.lei@example.edu.cn", "LI.LEI@EXAMPLE.EDU.CN", " Li.Lei@Example.edu.cn "]
)
def test_anyone_logs_in_with_the_email_in_any_case(client, typed):
    factories.user(email="li.lei@example.edu.cn")
    assert attempt(client, typed).status_code == 302


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_the_site(client, target):
    student = factories.user()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"identifier": student.identifier, "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_login_returns_to_the_page_that_asked_for_it(client):
    student = factories.user()
    response = client.post(
        "/login?next=/notifications/", data={"identifier": student.identifier, "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == "/notifications/"


def test_a_wrong_password_and_an_unknown_account_get_the_same_401_and_message(client):
    student = factories.user()

    wrong_password = attempt(client, student.identifier, "not-the-password-1")
    unknown = attempt(client, "2099000001")

    assert wrong_password.status_code == unknown.status_code == 401
    assert "账号或密码不正确" in wrong_password.get_data(as_text=True)
    assert "账号或密码不正确" in unknown.get_data(as_text=True)


def test_a_deactivated_account_cannot_log_in(client):
    student = factories.user(status=AccountStatus.DEACTIVATED)
    response = attempt(client, student.identifier)
    assert response.status_code == 401
    assert "该账号已停用" in response.get_data(as_text=True)


def test_a_deactivated_account_loses_its_open_session(client, db):
    student = factories.user()
    factories.login(client, student)
    student.status = AccountStatus.DEACTIVATED
    db.session.commit()

    assert client.get("/account").status_code == 302  # back to the login page


@pytest.fixture
def graduate(client):
    user = factories.user(status=AccountStatus.GRADUATED, name="毕业生")
    factories.login(client, user)
    return user


@pytest.mark.parametrize("path", ["/", "/account", "/notifications/", "/notifications/preferences"])
def test_a_graduate_can_log_in_and_read_pages(client, graduate, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path", ["/account", "/account/password", "/notifications/read-all", "/notifications/preferences"]
)
def test_a_graduate_cannot_change_anything(client, graduate, path):
    response = client.post(path, data={"phone": "13900000000"})
    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)


def test_a_graduate_may_still_choose_a_language_and_log_out(client, graduate):
    assert client.post("/language", data={"locale": "en"}).status_code == 302
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302  # signed out


def test_the_sixth_failed_login_to_one_account_within_15_minutes_is_refused_with_429(client):
    student = factories.user()
    for _ in range(5):
        assert attempt(client, student.identifier, "wrong-guess-1").status_code == 401

    response = attempt(client, student.identifier)  # even the right password now waits

    assert response.status_code == 429
    assert "尝试次数太多了" in response.get_data(as_text=True)


def test_the_account_limit_counts_failures_by_student_number_and_email_together(client):
    student = factories.user(email="zhang.san@example.edu.cn")
    for identifier in [student.identifier] * 3 + ["zhang.san@example.edu.cn", "ZHANG.SAN@example.edu.cn"]:
        assert attempt(client, identifier, "wrong-guess-1").status_code == 401

    assert attempt(client, student.identifier, "wrong-guess-1").status_code == 429


def test_a_locked_account_does_not_stop_another_student_on_the_same_address(client):
    victim, roommate = factories.user(), factories.user(name="室友")
    for _ in range(6):
        attempt(client, victim.identifier, "wrong-guess-1")

    assert attempt(client, roommate.identifier).status_code == 302


def test_successful_logins_do_not_count_towards_the_limit(client):
    student = factories.user()
    for _ in range(7):
        assert attempt(client, student.identifier).status_code == 302
        client.post("/logout")


def test_the_per_address_limit_is_generous_enough_for_a_dormitory(client):
    students = [factories.user() for _ in range(12)]
    for student in students[:-1]:
        assert attempt(client, student.identifier, "wrong-guess-1").status_code == 401

    assert attempt(client, students[-1].identifier).status_code == 302


def test_the_per_address_limit_applies_across_accounts_as_configured(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "3 per 15 minutes")
    limiter.reset()
    students = [factories.user() for _ in range(4)]
    for student in students[:3]:
        assert attempt(client, student.identifier, "wrong-guess-1").status_code == 401

    assert attempt(client, students[3].identifier).status_code == 429
