"""Queueing notifications. Operations call :func:`send`; nothing here talks to SMTP.

A notification is rendered in the recipient's language from ``templates/notify/<kind>.txt``, stored
in the centre, and, unless the user turned that kind's email off, put in the outbox in the same
transaction. When that transaction commits, a background delivery is scheduled (never before: a
rolled-back change sends nothing). The template's ``{{ link }}`` is the absolute address (``BASE_URL``)
in mail and empty in the centre, which opens the stored path with a button instead.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from urllib.parse import urljoin

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, func, insert, literal, select, update
from sqlalchemy.orm import Session

from .. import clock
from ..extensions import db
from . import delivery
from .kinds import KINDS
from .models import Channel, Notification, NotificationPreference, OutboxMessage

_PENDING_FLAG = "outbox_has_new_mail"


def render(kind: str, user, **context) -> tuple[str, str]:
    """(title, body) of ``kind`` in ``user``'s language."""
    with force_locale(getattr(user, "locale", None) or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"notify/{kind}.txt", user=user, **context).strip()
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def absolute(link: str | None) -> str | None:
    """A stored link (a path from ``url_for``, which already includes the app's root) for mail."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return urljoin(current_app.config["BASE_URL"], link)


def email_wanted(user, kind: str) -> bool:
    if not user.email or user.email_verified_at is None and KINDS[kind].optional:
        return False
    if not KINDS[kind].optional:
        return True
    # Not worth a flush of the notifications just added: preferences are only written by their page.
    with db.session.no_autoflush:
        wanted = db.session.scalar(
            select(NotificationPreference.email).where(
                NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
            )
        )
    return wanted is None or wanted


def send(user, kind: str, *, link: str | None = None, in_app: bool = True, **context) -> None:
    """Notify ``user`` of ``kind``: in the centre and, if wanted, by email. Does not commit."""
    if kind not in KINDS:
        raise KeyError(f"unknown notification kind {kind!r}; declare it in notify/kinds.py")
    if in_app:
        # The centre opens the link with a button of its own: its text carries no address.
        title, body = render(kind, user, link="", **context)
        db.session.add(Notification(user_id=user.id, kind=kind, title=title, body=body, link=link))
    if email_wanted(user, kind):
        title, body = render(kind, user, link=absolute(link), **context)
        queue_email(user.email, title, body, kind=kind, user=user)


def send_to_many(users, kind: str, *, link: str | None = None, **context) -> None:
    for user in users:
        send(user, kind, link=link, **context)


def queue_email(address: str, subject: str, body: str, *, kind: str, user=None) -> OutboxMessage:
    host = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].rstrip(">") or "jiebang.local"
    message = OutboxMessage(
        channel=Channel.EMAIL,
        kind=kind,
        user_id=getattr(user, "id", None),
        recipient=address,
        subject=subject,
        body=body,
        message_id=f"<{uuid.uuid4().hex}@{host}>",
        next_attempt_at=clock.now(),
    )
    db.session.add(message)
    db.session.info[_PENDING_FLAG] = True
    return message


def set_email_preferences(user, data: dict[str, bool]) -> None:
    """Whether ``user`` wants each kind of notification (``{kind: wanted}``) by email too; the kinds
    that may not be turned off are left as they are."""
    for kind, wanted in data.items():
        if KINDS[kind].optional:
            _set_email_preference(user, kind, wanted)


def _set_email_preference(user, kind: str, wanted: bool) -> None:
    pref = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
        )
    ) or NotificationPreference(user_id=user.id, kind=kind)
    pref.email = wanted
    db.session.add(pref)


def email_preferences(user) -> dict[str, bool]:
    rows = db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    chosen = {p.kind: p.email for p in rows}
    return {k: chosen.get(k, True) for k in KINDS}


def unread_of(user_id):
    """How many notifications of the user with ``user_id`` (a value or a column) are unread, as a
    subquery: the signed-in user is loaded with it (``accounts.views.load_user``)."""
    return (
        select(func.count())
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def unread_count(user) -> int:
    """The unread notifications of ``user``: as loaded with the signed-in user, else counted now."""
    loaded = user.unread_notifications
    return loaded if loaded is not None else db.session.scalar(select(unread_of(user.id)))


def mark_read(user, notification_id: int | None = None) -> None:
    """Mark one notification (or all of them) read."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    db.session.execute(stmt.values(read_at=clock.now()))


@event.listens_for(Session, "after_commit")
def _schedule_delivery(session):
    # Releasing a SAVEPOINT fires after_commit too; only the real commit makes the mail final.
    if session.in_nested_transaction():
        return
    if session.info.pop(_PENDING_FLAG, False):
        delivery.deliver_outbox()


@event.listens_for(Session, "after_rollback")
def _forget_flag(session):
    session.info.pop(_PENDING_FLAG, None)


def send_in_app(recipients, kind: str, *, link: str | None = None, **context) -> None:
    """Notify everyone of ``recipients`` (a SELECT of user id and locale, thousands of rows) of
    ``kind`` in the centre only: rendered once per language, written with one INSERT … SELECT each.
    No mail: the app does not mail a whole student body one by one (docs/notifications.md)."""
    if kind not in KINDS:
        raise KeyError(f"unknown notification kind {kind!r}; declare it in notify/kinds.py")
    chosen = recipients.subquery()
    user_id, locale = chosen.c
    language = func.coalesce(locale, current_app.config["BABEL_DEFAULT_LOCALE"])
    for found in db.session.scalars(select(language).distinct()):
        title, body = render(kind, SimpleNamespace(locale=found), link="", **context)
        rows = select(
            user_id, literal(kind), literal(title), literal(body), literal(link), literal(clock.now())
        ).where(language == found)
        db.session.execute(
            insert(Notification).from_select(["user_id", "kind", "title", "body", "link", "created_at"], rows)
        )
