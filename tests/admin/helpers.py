"""Reading an admin page in a test: the message shown beside a field, the value kept in it, and what an
audit entry says."""

from __future__ import annotations

import html
import re


def _control(page: str, name: str) -> re.Match:
    match = re.search(rf'<(input|select|textarea)\b[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    assert match, f"no field named {name!r}"
    return match


def error_beside(page: str, name: str) -> str | None:
    """The first error message rendered after field ``name`` and before the next field's label."""
    control = _control(page, name)
    rest = page[control.end() :]
    rest = rest[: rest.find("<label")] if "<label" in rest else rest
    found = re.search(r'<div class="invalid-feedback[^"]*">(.*?)</div>', rest, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def value_of(page: str, name: str) -> str | None:
    tag = _control(page, name).group(0)
    found = re.search(r'\bvalue="([^"]*)"', tag)
    return html.unescape(found.group(1)) if found else None


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: the words, with the tags and extra spaces gone."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def changes(page: str) -> list[tuple[str, ...]]:
    """The rows of the audit entries' before/after tables, as (field, before, after) in words."""
    rows = re.findall(r"<tr>\s*<th scope=\"row\"[^>]*>(.*?)</tr>", page, re.S)
    return [tuple(text(cell) for cell in re.split(r"</t[hd]>", row) if text(cell)) for row in rows]
