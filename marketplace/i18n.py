"""Translations looked up once per request.

Flask-Babel finds the catalogue for every string it translates: the request's context, its domain,
its locale, then the catalogue cache — about 20 µs a string. A list page shows a few hundred labels
(statuses, column headings, audit actions), and those look-ups were a third of the audit log's time.
:class:`RequestDomain` keeps the catalogue on the request beside the locale it was found for, so a
locale switched mid-request (``force_locale``, which mail to another user's language uses) still gets
its own.

WTForms' own messages ("不是有效的选择") come from its catalogue, which Flask-WTF reads from disk once
per request that builds a field without a label (every hidden field): :func:`wtforms_translations`
reads it once per language and process instead.
"""

from __future__ import annotations

from functools import lru_cache

from babel.support import Translations
from flask import Flask, g, has_app_context
from flask_babel import Domain, get_locale
from jinja2 import pass_eval_context
from markupsafe import Markup
from wtforms.i18n import messages_path


class RequestDomain(Domain):
    def get_translations(self):
        state = g.get("_flask_babel") if has_app_context() else None
        locale = getattr(state, "babel_locale", None)
        if locale is not None:
            found = getattr(state, "request_catalogue", None)
            if found is not None and found[0] is locale:
                return found[1]
        translations = super().get_translations()
        if state is not None:
            state.request_catalogue = (getattr(state, "babel_locale", None), translations)
        return translations


def init_app(app: Flask) -> None:
    """Use :class:`RequestDomain` for Python strings (``gettext``, ``lazy_gettext``) and templates.
    The app never switches domains, so templates ask the domain directly."""
    configuration = app.extensions["babel"]
    domain = RequestDomain(domain=configuration.default_domain)
    configuration.instance.domain_instance = domain
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
    )

    @pass_eval_context
    def gettext(eval_ctx, string: str, /, **variables) -> str:
        # Jinja's own newstyle ``_`` reaches the catalogue through two more context calls and formats
        # even a string with nothing to fill in: 6 µs a string, against a floor page's 1 ms, and a list
        # page says a few hundred. Same rules: the translation is markup where autoescape is on, the
        # values are escaped into it, and it is always a format string ("%%" is "%").
        translated = domain.get_translations().ugettext(string)
        if eval_ctx.autoescape:
            translated = Markup(translated)
        return translated % variables if variables or "%" in translated else translated

    app.jinja_env.globals.update(_=gettext, gettext=gettext)


def wtforms_translations() -> Translations | None:
    """WTForms' catalogue in the request's language (None outside a request: WTForms' English)."""
    locale = get_locale()
    return None if locale is None else _wtforms_catalogue(str(locale))


@lru_cache(maxsize=8)
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")
