"""Friendly error pages in the user's language (Chinese by default)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from .extensions import db
from .forms import request_limit_mb
from .security import same_site_path


def _referring_page() -> str | None:
    """The page that sent the request, if it is on this site: where the form was filled in."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return same_site_path(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


def register_error_pages(app: Flask) -> None:
    def page(code: int, error=None):
        return render_template("errors/error.html", code=code, error=error), code

    for code in (400, 403, 404, 405, 429):
        app.register_error_handler(code, lambda e, code=code: page(code, e))

    @app.errorhandler(413)
    def too_large(error):
        # Say the limit, and lead back to the form (the browser's history keeps what was typed).
        return render_template(
            "errors/error.html", code=413, error=error, limit_mb=request_limit_mb(), back=_referring_page()
        ), 413

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, csrf=True), 400

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        app.logger.exception("500 on %s", request.path)
        return page(500)
