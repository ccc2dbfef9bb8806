"""The interface is Chinese whatever the browser says; English is a choice the user makes."""

from __future__ import annotations

from tests import factories


def html_lang(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_pages_are_chinese_whatever_the_browser_asks_for(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert html_lang(response) == "zh-CN"


def test_choosing_english_switches_the_interface(client):
    response = client.post("/language", data={"locale": "en", "next": "/login"})

    assert response.headers["Location"] == "/login"
    assert html_lang(client.get("/")) == "en"


def test_choosing_chinese_again_switches_back(client):
    client.post("/language", data={"locale": "en"})
    client.post("/language", data={"locale": "zh_CN"})

    assert html_lang(client.get("/")) == "zh-CN"


def test_a_language_that_is_not_offered_is_refused(client):
    assert client.post("/language", data={"locale": "fr"}).status_code == 400


def test_the_language_switch_returns_only_to_this_site(client):
    response = client.post("/language", data={"locale": "en", "next": "https://evil.example.com/"})
    assert response.headers["Location"] == "/"


def test_the_language_saved_in_the_profile_applies_after_logging_in(client):
    factories.login(client, factories.user(locale="en"))
    assert html_lang(client.get("/")) == "en"
