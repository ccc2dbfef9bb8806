"""Security headers, and the read-only rule for graduates."""

from __future__ import annotations

from flask import Flask, abort, request
from flask_login import current_user

# Graduates may still sign in and export their own records; these endpoints are the only writes left
# to them (signing in and out, choosing a language).
READ_ONLY_ALLOWED = {"accounts.login", "accounts.logout", "main.set_language"}

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_security(app: Flask) -> None:
    @app.before_request
    def graduates_are_read_only():
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and current_user.is_authenticated
            and current_user.is_read_only
            and request.endpoint not in READ_ONLY_ALLOWED
        ):
            abort(403)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
