"""Security headers, the read-only rule for graduates, and which redirect targets are safe."""

from __future__ import annotations

from urllib.parse import urlsplit

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


def same_site_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: a ``next`` link must not bounce users to
    another site. Browsers read a backslash as a slash and drop tabs and newlines inside a URL, so a
    path that starts with a slash and a backslash (or a tab) leads off-site just like "//"."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target) or urlsplit(target).netloc:
        return None
    return target


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
