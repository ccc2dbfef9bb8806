"""Security: CSRF, response headers, cookies, production settings, error pages, private data."""

from __future__ import annotations

import re

import pytest

from config import ProductionConfig
from marketplace import create_app, permissions, queue
from marketplace.accounts.models import SiteRole
from marketplace.notify import operations as notify
from marketplace.orgs.models import OrgKind
from tests import factories

POSTGRES_URL_NEVER_CONNECTED = "postgresql+psycopg://nobody@127.0.0.1:1/unused"


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_post_without_the_csrf_token_is_refused_with_a_chinese_page(client, csrf_on):
    student = factories.user()

    response = client.post("/login", data={"identifier": student.identifier, "password": factories.PASSWORD})

    assert response.status_code == 400
    assert "页面已过期或表单校验失败" in response.get_data(as_text=True)


def test_a_post_with_the_csrf_token_goes_through(client, csrf_on):
    student = factories.user()
    token = csrf_token(client.get("/login").get_data(as_text=True))

    response = client.post(
        "/login", data={"identifier": student.identifier, "password": factories.PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 302


def test_signing_out_needs_the_csrf_token_too(client, csrf_on):
    student = factories.user()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"identifier": student.identifier, "password": factories.PASSWORD, "csrf_token": token}
    )

    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200  # still signed in


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().partition(" ")[::2] for part in policy.split(";"))


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)

    csp = csp_directives(response)
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/login", "/claim", "/account", "/notifications/", "/no-such-page"])
def test_pages_have_no_inline_script_or_style_attribute_the_policy_would_block(client, db, path):
    user = factories.user()
    notify.send(user, "role.granted", role=SiteRole.EVALUATOR)  # so the centre lists something
    db.session.commit()
    factories.login(client, user)
    page = client.get(path).get_data(as_text=True)

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert " style=" not in page


def session_cookie(response) -> str:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    student = factories.user()
    response = factories.login(client, student)

    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.fixture
def production_app(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "a-production-secret")
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", POSTGRES_URL_NEVER_CONNECTED)
    monkeypatch.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setattr(queue, "_worker_app", queue._worker_app)  # create_app rebinds the task queue
    return create_app(ProductionConfig)


def test_under_production_config_the_session_cookie_is_secure_and_hsts_is_sent(production_app):
    response = production_app.test_client().get("/login", base_url="https://jiebang.example.edu.cn")

    cookie = session_cookie(response)  # the CSRF token lives in the session
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", POSTGRES_URL_NEVER_CONNECTED)

    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(ProductionConfig)


def test_production_refuses_to_start_on_sqlite(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "a-production-secret")
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", "sqlite:///jiebang.sqlite3")

    with pytest.raises(RuntimeError, match="production needs PostgreSQL"):
        create_app(ProductionConfig)


def test_the_health_check_answers_ok_in_json(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_a_missing_page_is_a_chinese_404(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "en"})

    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "页面不存在" in page
    assert '<html lang="zh-CN">' in page


def test_a_forbidden_page_is_a_chinese_403(client):
    factories.login(client, factories.user())

    response = client.get("/admin/")

    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)


def test_a_phone_number_is_for_its_owner_and_admins_only():
    owner, other, admin = factories.user(), factories.user(), factories.user(roles=(SiteRole.ADMIN,))

    assert permissions.can(owner, "user.view_phone", owner)
    assert permissions.can(admin, "user.view_phone", owner)
    assert not permissions.can(other, "user.view_phone", owner)
    assert not permissions.can(None, "user.view_phone", owner)


def test_the_public_staff_list_does_not_show_phone_numbers(client):
    union = factories.org(OrgKind.SCHOOL_UNION)
    staff = factories.staff_member(union, phone="13912345678", name="干事甲")
    factories.login(client, factories.user())

    page = client.get(f"/disclosure/unions/{union.id}/staff").get_data(as_text=True)

    assert staff.name in page
    assert "13912345678" not in page


def test_the_owner_sees_their_own_phone_number(client):
    student = factories.user(phone="13912345678")
    factories.login(client, student)

    assert "13912345678" in client.get("/account").get_data(as_text=True)
