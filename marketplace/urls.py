"""Links as paths, whether or not a request is under way.

Models expose their page as ``url`` (``project.url``) and operations put links in notifications with
:func:`path_for`. Outside a request (a periodic job, the worker, a command) ``url_for`` would make the
link absolute; a notification stores the path, and mail joins it to ``BASE_URL``
(``notify.operations.absolute``). The app builds URLs for BASE_URL's host and root when no request
gives them (``create_app`` sets ``SERVER_NAME`` and ``APPLICATION_ROOT`` from it).
"""

from __future__ import annotations

from flask import url_for


def path_for(endpoint: str, **values) -> str:
    return url_for(endpoint, _external=False, **values)
