"""Template filters: times in Asia/Shanghai, masked phone numbers, Markdown made safe, a bid's budget
and volunteers (zero said in words)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

import bleach
import markdown as md
from flask import Flask
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from markupsafe import Markup

from .timeutil import local

ALLOWED_TAGS = [
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "h5",
    "table", "thead", "tbody", "tr", "th", "td", "a", "hr",
]  # fmt: skip


def render_markdown(text: str | None) -> Markup:
    """User-written Markdown as sanitised HTML (no scripts, no raw HTML, safe links only)."""
    return Markup(_sanitised_html(text or ""))


# The same text always makes the same HTML, and making it (Markdown, then two html5lib passes) cost
# about 5 ms a text: a page of thirty 述职 reports spent most of its time here. Each worker keeps the
# latest texts it rendered; a text that changes is a new key.
@lru_cache(maxsize=1024)
def _sanitised_html(text: str) -> str:
    html = md.markdown(text, extensions=["tables", "sane_lists"])
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes={"a": ["href", "title"]}, strip=True)
    return bleach.linkify(clean, callbacks=[bleach.callbacks.nofollow])


# Patterns of digits only read the same in every language, so they are written here rather than by
# Babel, which took about 25 µs a time: the door roster shows two hundred. Any other pattern (a
# weekday's name) goes to Babel.
NUMERIC = {
    "yyyy-MM-dd HH:mm": "%Y-%m-%d %H:%M",
    "yyyy-MM-dd HH:mm:ss": "%Y-%m-%d %H:%M:%S",
    "yyyy-MM-dd": "%Y-%m-%d",
    "MM-dd HH:mm": "%m-%d %H:%M",
    "HH:mm": "%H:%M",
}


def local_datetime(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A moment on the school's clock (a naive value is UTC, as Babel takes it)."""
    if value is None:
        return ""
    numeric = NUMERIC.get(fmt)
    if numeric is None:
        return format_datetime(value, fmt)
    return local(value if value.tzinfo else value.replace(tzinfo=UTC)).strftime(numeric)


def local_date(value, fmt: str = "yyyy-MM-dd") -> str:
    """A day — or the school's day of a moment."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_datetime(value, fmt)
    numeric = NUMERIC.get(fmt)
    return format_date(value, fmt) if numeric is None else value.strftime(numeric)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "****"


def budget(amount) -> str:
    """A bid's requested budget; zero is a bid that asks for no money (it pays its own way)."""
    if amount is None:
        return ""
    return _("零经费（自筹）") if Decimal(str(amount)) == 0 else _("%(amount)s 元", amount=amount)


def volunteers(count: int | None) -> str:
    """How many volunteers a bid expects to recruit; zero says it recruits none."""
    return _("不招募志愿者") if not count else _("%(n)s 人", n=count)


def register_filters(app: Flask) -> None:
    app.add_template_filter(local_datetime, "datetime")
    app.add_template_filter(local_date, "date")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(mask_phone, "mask_phone")
    app.add_template_filter(budget, "budget")
    app.add_template_filter(volunteers, "volunteers")
