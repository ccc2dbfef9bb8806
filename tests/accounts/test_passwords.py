"""Passwords: reset by an emailed link (once, for two hours), change with the current one, strength."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from marketplace.accounts.models import User
from tests import factories
from tests.accounts.pages import invalid_fields
from tests.notify import outbox

NEW_PASSWORD = "xin-mi-ma-2026"


def ask_for_reset(client, identifier: str):
    return client.post("/account/forgot", data={"identifier": identifier})


def reset_form(password: str = NEW_PASSWORD) -> dict:
    return {"password": password, "confirm": password}


def reset_link(client, user: User) -> str:
    ask_for_reset(client, user.identifier)
    return outbox.last_link("account.password_reset", to=user.email)


def without_csrf_tokens(response) -> str:
    return re.sub(r'name="csrf_token" (type="hidden" )?value="[^"]*"', "", response.get_data(as_text=True))


def test_asking_for_a_reset_shows_the_same_page_whether_or_not_the_account_exists(client):
    student = factories.user()

    known = ask_for_reset(client, student.identifier)
    unknown = ask_for_reset(client, "2099000001")

    assert known.status_code == unknown.status_code == 200
    # The pages' CSRF tokens carry a timestamp, so two requests a second apart differ there only.
    assert without_csrf_tokens(known) == without_csrf_tokens(unknown)
    assert [m.recipient for m in outbox.messages("account.password_reset")] == [student.email]


def test_a_reset_link_sets_a_new_password_that_then_logs_in(client):
    student = factories.user()
    link = reset_link(client, student)

    response = client.post(link, data=reset_form())

    assert response.status_code == 302
    assert (
        client.post("/login", data={"identifier": student.identifier, "password": NEW_PASSWORD}).status_code
        == 302
    )
    assert outbox.messages("account.password_changed", to=student.email)


def test_a_reset_link_works_only_once(client):
    student = factories.user()
    link = reset_link(client, student)
    client.post(link, data=reset_form())

    again = client.post(link, data=reset_form("another-pass-99"))

    assert again.status_code == 400
    assert "该链接已使用过或已失效" in again.get_data(as_text=True)
    assert client.get(link).status_code == 400  # said before the form is filled in


def test_a_reset_link_expires_after_password_reset_max_age(app, client, clock):
    student = factories.user()
    link = reset_link(client, student)

    clock.shift(timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE"] + 1))
    response = client.post(link, data=reset_form())

    assert response.status_code == 400
    assert "链接已过期" in response.get_data(as_text=True)


def test_a_reset_link_still_works_just_before_it_expires(app, client, clock):
    student = factories.user()
    link = reset_link(client, student)

    clock.shift(timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE"] - 60))

    assert client.post(link, data=reset_form()).status_code == 302


def test_a_verification_link_expires_after_email_verify_max_age(app, client, clock):
    student = factories.user(verified=False)
    client.post("/account/resend-verification", data={"identifier": student.identifier})
    link = outbox.last_link("account.verify_email", to=student.email)

    clock.shift(timedelta(seconds=app.config["EMAIL_VERIFY_MAX_AGE"] + 1))

    response = client.get(link)
    assert response.status_code == 400
    assert "链接已过期" in response.get_data(as_text=True)


def test_changing_the_password_needs_the_current_one(client, db):
    student = factories.user()
    factories.login(client, student)

    response = client.post("/account/password", data={"current_password": "not-it-123", **reset_form()})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "当前密码不正确" in page
    assert invalid_fields(page) == {"current_password"}
    assert db.session.get(User, student.id).check_password(factories.PASSWORD)


def test_changing_the_password_with_the_current_one_works_and_tells_the_owner(client, db):
    student = factories.user()
    factories.login(client, student)

    response = client.post("/account/password", data={"current_password": factories.PASSWORD, **reset_form()})

    assert response.status_code == 302
    assert db.session.get(User, student.id).check_password(NEW_PASSWORD)
    assert outbox.messages("account.password_changed", to=student.email)


@pytest.mark.parametrize("weak", ["short1", "onlyletters", "1234567890"])
def test_a_new_password_needs_eight_characters_with_letters_and_digits(client, weak):
    student = factories.user()
    factories.login(client, student)

    response = client.post(
        "/account/password", data={"current_password": factories.PASSWORD, **reset_form(weak)}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "密码至少 8 位，且需同时包含字母和数字" in page
    assert invalid_fields(page) == {"password"}
