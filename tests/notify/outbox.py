"""Reading the outbox in tests: the mail a user was sent, and the link inside it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from marketplace.extensions import db
from marketplace.notify.models import OutboxMessage

_URL = re.compile(r"https?://\S+")


def messages(kind: str | None = None, *, to: str | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        stmt = stmt.where(OutboxMessage.kind == kind)
    if to is not None:
        stmt = stmt.where(OutboxMessage.recipient == to)
    return list(db.session.scalars(stmt))


def link_in(message: OutboxMessage) -> str:
    """The path (and query) of the link in a message, to open on whatever server the test runs."""
    found = _URL.search(message.body)
    assert found, f"no link in {message.kind} mail: {message.body!r}"
    url = urlsplit(found.group())
    return url.path + (f"?{url.query}" if url.query else "")


def last_link(kind: str, *, to: str) -> str:
    sent = messages(kind, to=to)
    assert sent, f"no {kind} mail to {to}"
    return link_in(sent[-1])
