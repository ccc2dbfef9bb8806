"""Translations looked up once per request still follow the locale: a mail rendered for another
user's language inside a request (``force_locale``) reads in that language, and the page after it
in the visitor's again."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, gettext, lazy_gettext


def test_a_locale_forced_mid_request_translates_python_and_template_strings_in_it(app):
    log_in = lazy_gettext("登录")
    with app.test_request_context("/"):
        assert gettext("登录") == "登录" and render_template_string("{{ _('登录') }}") == "登录"
        with force_locale("en"):
            assert gettext("登录") == "Log in" and str(log_in) == "Log in"
            assert render_template_string("{{ _('登录') }}") == "Log in"
        assert gettext("登录") == "登录" and str(log_in) == "登录"


def test_each_request_finds_its_own_language(app):
    english, chinese = app.test_client(), app.test_client()
    with english.session_transaction() as session:
        session["locale"] = "en"  # chosen by the visitor
    for _ in range(2):
        assert ">Log in<" in english.get("/").get_data(as_text=True)
        assert ">登录<" in chinese.get("/").get_data(as_text=True)


def test_template_translations_escape_what_they_are_given_and_read_percent_signs(app):
    typed = '<img src=x onerror="alert(1)">'
    with app.test_request_context("/"):
        page = app.jinja_env.from_string("{{ _('理由：%(reason)s', reason=typed) }}|{{ _('完成 100%%') }}")
        assert page.render(typed=typed) == "理由：&lt;img src=x onerror=&#34;alert(1)&#34;&gt;|完成 100%"
        # A trans block takes the same path.
        block = app.jinja_env.from_string("{% trans name=typed %}你好，{{ name }}{% endtrans %}")
        assert block.render(typed=typed) == "你好，&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"
        # Mail's plain text is not HTML: nothing in it is escaped.
        text = app.jinja_env.from_string(
            "{% autoescape false %}{{ _('理由：%(reason)s', reason=typed) }}{% endautoescape %}"
        )
        assert text.render(typed=typed) == f"理由：{typed}"
