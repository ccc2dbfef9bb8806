"""Driving the volunteer pages: signed-in clients, the forms as a browser sends them, reading a page."""

from __future__ import annotations

import re

from marketplace.timeutil import SCHOOL_TZ
from tests.bids.helpers import signed_in

__all__ = ["error_of", "local", "shift_form", "signed_in"]


def local(moment) -> str:
    """A UTC time as a ``datetime-local`` input sends it (Beijing time)."""
    return moment.astimezone(SCHOOL_TZ).strftime("%Y-%m-%dT%H:%M")


def shift_form(starts, ends, **overrides) -> dict:
    data = {
        "starts_at": local(starts),
        "ends_at": local(ends),
        "place": "图书馆一楼大厅",
        "capacity": "3",
        "credit_hours": "2",
    }
    data.update(overrides)
    return data


def error_of(page: str, field_id: str) -> str | None:
    """The error shown beside the field with this id, if any."""
    found = re.search(
        rf'id="{re.escape(field_id)}"[^>]*>(?:(?!<(?:input|textarea|select)\b).|\n)*?'
        r'<div class="invalid-feedback d-block">([^<]*)</div>',
        page,
    )
    return found.group(1) if found else None
