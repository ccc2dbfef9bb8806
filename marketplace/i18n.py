"""Translations looked up once per request.

Flask-Babel finds the catalogue for every string it translates: the request's context, its domain,
its locale, then the catalogue cache — about 20 µs a string. A list page shows a few hundred labels
(statuses, column headings, audit actions), and those look-ups were a third of the audit log's time.
:class:`RequestDomain` keeps the catalogue on the request beside the locale it was found for, so a
locale switched mid-request (``force_locale``, which mail to another user's language uses) still gets
its own.
"""

from __future__ import annotations

from flask import Flask, g, has_app_context
from flask_babel import Domain


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
