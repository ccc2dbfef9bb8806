"""Helpers for account tests: reading rendered forms, and links that lead off the site."""

from __future__ import annotations

import re

_INVALID_INPUT = re.compile(
    r'<(?:input|select|textarea)\b[^>]*\bclass="[^"]*\bis-invalid\b[^"]*"[^>]*\bid="([^"]+)"'
)


def invalid_fields(page: str) -> set[str]:
    """The ids of the fields marked invalid (the macro puts the message right below each)."""
    return set(_INVALID_INPUT.findall(page))


# "next" targets a browser would follow to another site.
OFF_SITE = [
    "//evil.example.com/x",
    "/\\evil.example.com",
    "/\t/evil.example.com",
    "https://evil.example.com/",
]
