"""Links as paths, whether or not a request is under way.

Models expose their page as ``url`` (``project.url``) and operations put links in notifications with
:func:`path_for`. In a request the path is the request's own (its script root included); outside one
(a periodic job, the worker, a command) it is built for ``BASE_URL``'s root. A notification stores the
path, and mail joins it to ``BASE_URL`` (``notify.operations.absolute``).

``SERVER_NAME`` stays unset on purpose: set, it would send Werkzeug's redirects (a missing trailing
slash) to ``BASE_URL``'s host even when the site is reached under another name or port.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

# Links remembered per process: a few hundred endpoints under one script root, and the static files.
REMEMBERED_MOST = 4096


def path_for(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, _external=False, **values)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/")
    return adapter.build(endpoint, values, force_external=False)


class RememberedLinks:
    """The app's ``url_for`` (templates' and Python's alike), remembering the links that depend on
    nothing but their endpoint: the layout builds some thirty on every page (menus, its stylesheets
    and scripts), each 5 µs to build again and a static file's 20 µs (its version is a hash of the
    file), against a floor page's 1 ms.

    Remembered in a request only, per script root, and only with no values, anchor, method, scheme or
    ``_external``; a static file by its name and modification time, so an edited file still gets a new
    version. Nothing else goes into a link built from an endpoint alone, since the app's only URL
    default is the static files' version: a URL default that read the request would have to be part of
    the key."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._remembered_links: dict[tuple, str] = {}

    def url_for(
        self,
        endpoint: str,
        /,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values,
    ) -> str:
        plain = _anchor is None and _method is None and _scheme is None and not _external
        key = _remembered_key(endpoint, values) if plain and has_request_context() else None
        if key is None:
            return super().url_for(
                endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
            )
        remembered = self._remembered_links
        link = remembered.get(key)
        if link is None:
            link = super().url_for(endpoint, _external=_external, **values)
            if len(remembered) < REMEMBERED_MOST:
                remembered[key] = link
        return link


def _remembered_key(endpoint: str, values: dict) -> tuple | None:
    if not values:
        return None if endpoint.startswith(".") else (request.script_root, endpoint)
    if endpoint == "static" and values.keys() == {"filename"}:
        try:
            modified_ns = os.stat(os.path.join(current_app.static_folder, values["filename"])).st_mtime_ns
        except OSError:
            return None
        return (request.script_root, endpoint, values["filename"], modified_ns)
    return None
