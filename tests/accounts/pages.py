"""Reading rendered forms in tests."""

from __future__ import annotations

import re

_INVALID_INPUT = re.compile(r'<(?:input|select|textarea)\b[^>]*\bclass="[^"]*\bis-invalid\b[^"]*"[^>]*\bid="([^"]+)"')


def invalid_fields(page: str) -> set[str]:
    """The ids of the fields marked invalid (the macro puts the message right below each)."""
    return set(_INVALID_INPUT.findall(page))
