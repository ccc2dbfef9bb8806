"""The interface is Chinese whatever the browser says; English is a choice the user makes."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from tests import factories
from tests.accounts.pages import OFF_SITE


def html_lang(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_pages_are_chinese_whatever_the_browser_asks_for(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert html_lang(response) == "zh-CN"


def test_choosing_english_switches_the_interface(client):
    response = client.post("/language", data={"locale": "en", "next": "/login"})
    with force_locale("en"):
        log_in = gettext("登录")

    assert response.headers["Location"] == "/login"
    login_page = client.get("/login")
    assert html_lang(login_page) == "en"
    assert f"<title>{log_in} · " in login_page.get_data(as_text=True)


def test_choosing_chinese_again_switches_back(client):
    client.post("/language", data={"locale": "en"})
    client.post("/language", data={"locale": "zh_CN"})

    assert html_lang(client.get("/")) == "zh-CN"


def test_a_language_that_is_not_offered_is_refused(client):
    assert client.post("/language", data={"locale": "fr"}).status_code == 400


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_language_switch_returns_only_to_this_site(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_the_language_saved_in_the_profile_applies_after_logging_in(client):
    factories.login(client, factories.user(locale="en"))
    assert html_lang(client.get("/")) == "en"


def test_english_chosen_before_logging_in_is_kept_when_the_profile_has_no_language(client):
    client.post("/language", data={"locale": "en"})
    factories.login(client, factories.user(locale=None))
    assert html_lang(client.get("/")) == "en"


def test_the_profile_language_wins_over_one_chosen_before_logging_in(client):
    client.post("/language", data={"locale": "en"})
    factories.login(client, factories.user(locale="zh_CN"))
    assert html_lang(client.get("/")) == "zh-CN"
