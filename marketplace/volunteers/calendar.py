"""The student's private calendar feed (日历订阅): accepted shifts as an iCalendar file (RFC 5545).

Small enough to write by hand: text values escaped (§3.3.11), lines folded at 75 octets (§3.1), CRLF
line ends, times in UTC with a trailing Z so every calendar app shows them in its own zone. The feed's
secret link is the student's ``ical_token``, renewed by ``reset_calendar_token``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from .. import audit, permissions
from .models import Signup

FOLD_AT = 75  # octets per line, the CRLF not counted


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, never inside a UTF-8 character; continuation lines
    start with a space (which counts toward their 75)."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = FOLD_AT if not pieces else FOLD_AT - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def feed(
    signups: Iterable[Signup], *, name: str, host: str, now: datetime, link: Callable[[Signup], str]
) -> str:
    """The VCALENDAR of these sign-ups. ``link`` gives each event's page; ``host`` makes the UIDs
    globally unique (one sign-up keeps its UID, so a calendar app updates the event in place)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//jiebang//volunteer shifts//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for signup in signups:
        shift = signup.shift
        position = shift.position
        lines += [
            "BEGIN:VEVENT",
            f"UID:{signup.public_id}@{host}",
            f"DTSTAMP:{utc(now)}",
            f"DTSTART:{utc(shift.starts_at)}",
            f"DTEND:{utc(shift.ends_at)}",
            f"SUMMARY:{escape(f'{position.title} · {position.project.title}')}",
            f"LOCATION:{escape(shift.place)}",
            f"DESCRIPTION:{escape(position.description or '')}",
            f"URL:{link(signup)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def reset_calendar_token(user) -> str:
    """A new secret for the student's calendar feed (日历订阅); the old link stops working."""
    permissions.require(user, "account.write")
    user.ical_token = secrets.token_urlsafe(32)
    audit.record(user, "account.calendar_token", user)
    return user.ical_token
