"""Hardening: answers that must not leak (login timing), headers not to trust, ids out of range."""

from __future__ import annotations

import pytest

from marketplace import create_app
from marketplace.accounts import models as account_models
from tests import factories


def test_login_with_an_unknown_identifier_still_runs_the_password_hash(client, monkeypatch):
    checked = []
    real = account_models.check_password_hash

    def counting(pwhash, password):
        checked.append(password)
        return real(pwhash, password)

    monkeypatch.setattr(account_models, "check_password_hash", counting)

    response = client.post("/login", data={"identifier": "2099999999", "password": "guess-1234"})

    assert response.status_code == 401
    assert checked == ["guess-1234"]


def test_login_with_a_wrong_password_runs_the_hash_once(client, monkeypatch):
    student = factories.user()
    checked = []
    real = account_models.check_password_hash
    monkeypatch.setattr(account_models, "check_password_hash", lambda h, p: checked.append(p) or real(h, p))

    response = client.post("/login", data={"identifier": student.identifier, "password": "wrong-1234"})

    assert response.status_code == 401
    assert checked == ["wrong-1234"]


def _address_seen(app) -> str:
    seen = {}

    @app.get("/_probe_address")
    def probe():
        from flask import request

        seen["addr"] = request.remote_addr
        return "ok"

    app.test_client().get("/_probe_address", headers={"X-Forwarded-For": "203.0.113.9"})
    return seen["addr"]


def test_forwarded_for_is_ignored_when_no_proxy_is_trusted(app):
    fresh = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert fresh.config["TRUSTED_PROXIES"] == 0
    assert _address_seen(fresh) != "203.0.113.9"


def test_forwarded_for_is_believed_behind_one_trusted_proxy(app):
    fresh = create_app(
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TRUSTED_PROXIES": 1}
    )
    assert _address_seen(fresh) == "203.0.113.9"


@pytest.mark.parametrize(
    "path", ["/projects/99999999999999999999", "/projects/2147483648", "/orgs/99999999999999999999"]
)
def test_an_id_beyond_the_database_range_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_the_largest_id_a_row_can_have_is_still_looked_up(client):
    assert client.get("/projects/2147483647").status_code == 404


@pytest.mark.parametrize(
    "path", ["/projects", "/needs", "/disclosure/announcements", "/disclosure/suggestions"]
)
def test_a_page_number_beyond_the_database_range_is_an_empty_page(client, path):
    assert client.get(f"{path}?page=99999999999999999999").status_code == 200
