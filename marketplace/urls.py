"""Links as paths, whether or not a request is under way.

Models expose their page as ``url`` (``project.url``) and operations put links in notifications with
:func:`path_for`. In a request the path is the request's own (its script root included); outside one
(a periodic job, the worker, a command) it is built for ``BASE_URL``'s root. A notification stores the
path, and mail joins it to ``BASE_URL`` (``notify.operations.absolute``).

``SERVER_NAME`` stays unset on purpose: set, it would send Werkzeug's redirects (a missing trailing
slash) to ``BASE_URL``'s host even when the site is reached under another name or port.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, _external=False, **values)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/")
    return adapter.build(endpoint, values, force_external=False)
