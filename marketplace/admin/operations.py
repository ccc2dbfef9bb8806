"""Administration operations that belong to no single area: the site settings form."""

from __future__ import annotations

from typing import Any

from .. import permissions, settings


def save_settings(actor, values: dict[str, Any]) -> None:
    """Store every declared setting from ``values``; each change is audited by ``settings.put``."""
    permissions.require(actor, "settings.edit")
    for key, spec in settings.SETTINGS.items():
        value = values[key]
        if spec.kind is str:
            # Browsers send textarea lines as CRLF; storing them as typed would log a change on every save.
            value = (value or "").replace("\r\n", "\n")
        settings.put(key, value, actor)
