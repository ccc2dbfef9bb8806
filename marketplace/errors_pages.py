"""Friendly error pages in the user's language (Chinese by default)."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from .extensions import db


def register_error_pages(app: Flask) -> None:
    def page(code: int, error=None):
        return render_template("errors/error.html", code=code, error=error), code

    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, lambda e, code=code: page(code, e))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, csrf=True), 400

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        app.logger.exception("500 on %s", request.path)
        return page(500)
