"""Static files (静态资源) under a versioned URL, kept by browsers for a year.

Every ``url_for("static", filename=...)`` carries ``?v=`` and a short hash of the file's content, so a
release that changes a file changes its URL. A browser then keeps what it fetched instead of asking
again on every page: without it each page cost eight conditional requests (stylesheets, scripts, the
icon font) to the web node, which on a campus network at the start of term is most of the traffic. A
URL without ``v`` (typed by hand, or an old cached page) is revalidated as before.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from flask import Flask, has_request_context, request

from .urls import RememberedLinks

YEAR = 365 * 24 * 3600


class App(RememberedLinks, Flask):
    """The application class: Flask, with versioned static URLs cached for a year and the links that
    depend on their endpoint alone built once (``urls.RememberedLinks``)."""

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        if has_request_context() and request.endpoint == "static" and request.args.get("v"):
            return YEAR
        return super().get_send_file_max_age(filename)


@lru_cache(maxsize=512)
def _version(path: str, modified_ns: int) -> str:
    """The content hash; keyed by modification time too, so an edited file in development gets a new one."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def init_app(app: Flask) -> None:
    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or "filename" not in values:
            return
        path = os.path.join(app.static_folder, values["filename"])
        try:
            modified_ns = os.stat(path).st_mtime_ns
        except OSError:  # no such file: the URL is left as asked, and answers 404
            return
        values["v"] = _version(path, modified_ns)
