"""Delivering the outbox: at least once, never lost, never in a page request.

Rows are claimed in a short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers
never take the same row), handed to SMTP, and marked sent only after the server accepted them. A
worker that dies mid-send leaves rows in ``sending``; they are claimed again after
``STALE_CLAIM`` — the Message-ID stays the same, so a rare duplicate is recognisable.
"""

from __future__ import annotations

import logging
import smtplib
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_mail import Message
from huey import crontab
from sqlalchemy import and_, or_, select

from .. import clock
from ..extensions import db, mail
from ..queue import periodic_task, task
from .models import Channel, DeliveryAttempt, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def _claim(limit: int) -> list[OutboxMessage]:
    now = clock.now()
    due = or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - STALE_CLAIM),
    )
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.channel == Channel.EMAIL, due)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.status = OutboxStatus.SENDING
        row.claimed_at = now
        row.attempts += 1
    db.session.commit()
    return rows


def _as_mail(row: OutboxMessage) -> Message:
    message = Message(
        subject=row.subject, recipients=[row.recipient], body=row.body, date=clock.now().timestamp()
    )
    # Replace Flask-Mail's random id (an extra_headers entry would add a second Message-ID header).
    message.msgId = row.message_id
    return message


def _record_failure(row: OutboxMessage, error: Exception, report: DeliveryReport) -> None:
    config = current_app.config
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    db.session.add(DeliveryAttempt(outbox_id=row.id, ok=False, error=row.last_error))
    if row.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        row.status = OutboxStatus.FAILED
        report.gave_up += 1
        log.error("mail %s to %s given up after %s attempts", row.message_id, row.recipient, row.attempts)
    else:
        backoff = timedelta(seconds=config["OUTBOX_RETRY_SECONDS"] * 2 ** (row.attempts - 1))
        row.status = OutboxStatus.PENDING
        row.next_attempt_at = clock.now() + min(backoff, MAX_BACKOFF)
        report.failed += 1
        log.warning("mail %s to %s failed (%s), retrying", row.message_id, row.recipient, row.last_error)


def deliver_pending(limit: int = 100) -> DeliveryReport:
    """Send what is due; return counts. Safe to run in several workers at once."""
    report = DeliveryReport()
    rows = _claim(limit)
    if not rows:
        return report
    try:
        connection = mail.connect()
        connection.__enter__()
    except Exception as error:  # SMTP down: every claimed row waits for its next attempt
        for row in rows:
            _record_failure(row, error, report)
        db.session.commit()
        return report
    try:
        for row in rows:
            try:
                connection.send(_as_mail(row))
            except Exception as error:
                _record_failure(row, error, report)
            else:
                row.status = OutboxStatus.SENT
                row.sent_at = clock.now()
                row.last_error = None
                db.session.add(DeliveryAttempt(outbox_id=row.id, ok=True))
                report.sent += 1
                log.info("mail %s (%s) sent to %s", row.message_id, row.kind, row.recipient)
            db.session.commit()
    finally:
        # QUIT on a connection the server already dropped fails; each row has recorded its failure.
        with suppress(smtplib.SMTPServerDisconnected):
            connection.__exit__(None, None, None)
    return report


@task()
def deliver_outbox() -> None:
    deliver_pending()


@periodic_task(crontab(minute="*"))
def deliver_outbox_periodically() -> None:
    """Retries and anything queued while the worker was down."""
    deliver_pending()
