"""The outbox: queued with the change that caused it, delivered at least once, retried, never lost."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.models import SiteRole
from marketplace.extensions import db
from marketplace.notify import operations as notify
from marketplace.notify.delivery import deliver_pending
from marketplace.notify.models import DeliveryAttempt, OutboxMessage, OutboxStatus
from tests import factories
from tests.notify import outbox
from tests.notify.loopback_smtp import LoopbackSMTP

REFUSALS = ["550 5.1.1 mailbox unavailable", "451 4.3.0 try again later"]


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on loopback, the one ``mail`` sends to here (elsewhere tests send nothing)."""
    server = LoopbackSMTP()
    state = app.extensions["mail"]
    monkeypatch.setattr(state, "server", "127.0.0.1")
    monkeypatch.setattr(state, "port", server.port)
    monkeypatch.setattr(state, "suppress", False)
    server.down = False
    yield server
    server.down = True


def notify_someone() -> OutboxMessage:
    """A committed notification whose mail is queued (and, in tests, delivered at once)."""
    user = factories.user()
    notify.send(user, "role.granted", role=SiteRole.EVALUATOR)
    db.session.commit()
    [row] = outbox.messages("role.granted", to=user.email)
    return row


def waiting_row(clock, **fields) -> OutboxMessage:
    """An outbox row written without scheduling a delivery, as if the worker had been away."""
    row = OutboxMessage(
        kind="role.granted",
        recipient=f"{uuid.uuid4().hex[:8]}@example.edu.cn",
        subject="你获得了新的角色",
        body="正文",
        message_id=f"<{uuid.uuid4().hex}@jiebang.local>",
        next_attempt_at=clock.now(),
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row


def attempts_of(row: OutboxMessage) -> list[bool]:
    return list(
        db.session.scalars(
            select(DeliveryAttempt.ok).where(DeliveryAttempt.outbox_id == row.id).order_by(DeliveryAttempt.id)
        )
    )


def test_a_rolled_back_change_sends_nothing(smtp):
    user = factories.user()
    notify.send(user, "role.granted", role=SiteRole.EVALUATOR)
    db.session.rollback()

    assert outbox.messages() == []
    assert smtp.tried == []


def test_mail_leaves_once_the_change_commits(smtp):
    row = notify_someone()

    assert row.status == OutboxStatus.SENT
    assert row.attempts == 1
    assert attempts_of(row) == [True]
    assert [recipients for recipients, _ in smtp.accepted] == [[row.recipient]]
    [arrived] = smtp.messages
    assert arrived["Message-ID"] == row.message_id
    assert arrived["Subject"] and row.body in arrived.get_payload(decode=True).decode()


def test_smtp_failure_keeps_the_message_pending_and_a_later_run_sends_it(smtp, clock):
    smtp.down = True
    row = notify_someone()
    failed_at = clock.now()

    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at == failed_at + timedelta(seconds=60)
    assert "ConnectionRefusedError" in row.last_error
    assert attempts_of(row) == [False]

    smtp.down = False
    assert deliver_pending().sent == 0  # not before its back-off
    clock.shift(timedelta(seconds=60))
    assert deliver_pending().sent == 1

    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT
    assert row.attempts == 2
    assert attempts_of(row) == [False, True]


def test_each_failure_doubles_the_wait_before_the_next_attempt(smtp, clock):
    smtp.reply = REFUSALS[0]
    row = notify_someone()
    waits = [row.next_attempt_at - clock.now()]
    for _ in range(2):
        clock.set(row.next_attempt_at)
        deliver_pending()
        db.session.refresh(row)
        waits.append(row.next_attempt_at - clock.now())

    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]


def test_after_outbox_max_attempts_the_message_is_left_as_failed(app, smtp, clock, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    smtp.down = True
    row = notify_someone()
    for _ in range(4):
        clock.shift(timedelta(hours=6))
        deliver_pending()

    db.session.refresh(row)
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == 3
    assert attempts_of(row) == [False, False, False]


def test_the_message_id_is_the_same_on_every_attempt_and_the_only_one_in_the_mail(smtp, clock):
    smtp.reply = REFUSALS[1]
    row = notify_someone()
    smtp.reply = None
    clock.shift(timedelta(minutes=1))
    deliver_pending()

    assert smtp.tried == [row.message_id, row.message_id]
    [sent] = smtp.messages
    assert sent.get_all("Message-ID") == [row.message_id]


@pytest.mark.parametrize("reply", REFUSALS)
def test_a_message_the_server_refuses_is_logged_and_tried_again_after_its_back_off(
    smtp, clock, caplog, reply
):
    smtp.reply = reply
    with caplog.at_level(logging.WARNING, logger="marketplace.notify.delivery"):
        row = notify_someone()

    assert row.status == OutboxStatus.PENDING and row.sent_at is None
    assert row.next_attempt_at == clock.now() + timedelta(seconds=60)
    assert reply.split()[0] in row.last_error
    assert any(row.message_id in r.getMessage() and "retrying" in r.getMessage() for r in caplog.records)
    assert smtp.accepted == []

    smtp.reply = None
    clock.shift(timedelta(seconds=60))
    assert deliver_pending().sent == 1
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT and attempts_of(row) == [False, True]
    assert [m["Message-ID"] for m in smtp.messages] == [row.message_id]


def test_a_connection_lost_in_the_middle_of_a_message_leaves_it_unsent_and_it_is_tried_again(smtp, clock):
    rows = [waiting_row(clock) for _ in range(2)]
    smtp.hang_up = True

    report = deliver_pending()

    assert (report.sent, report.failed) == (0, 2)  # the second one found the connection gone too
    for row in rows:
        db.session.refresh(row)
        assert row.status == OutboxStatus.PENDING and row.sent_at is None
        assert attempts_of(row) == [False]
    assert smtp.accepted == []

    clock.shift(timedelta(seconds=60))
    assert deliver_pending().sent == 2
    assert sorted(m["Message-ID"] for m in smtp.messages) == sorted(row.message_id for row in rows)


def test_a_claim_left_by_a_worker_that_died_is_taken_again_after_ten_minutes(smtp, clock):
    row = waiting_row(clock, status=OutboxStatus.SENDING, claimed_at=clock.now(), attempts=1)

    clock.shift(timedelta(minutes=9, seconds=59))
    assert deliver_pending().sent == 0
    clock.shift(timedelta(seconds=2))
    assert deliver_pending().sent == 1

    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT
    assert row.attempts == 2
    assert smtp.tried == [row.message_id]


def test_the_send_mail_command_delivers_what_is_due(app, smtp, clock):
    row = waiting_row(clock)

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT


@pytest.mark.postgres
@pytest.mark.commits
def test_two_workers_at_once_never_send_the_same_message_twice(app, smtp, clock):
    rows = [waiting_row(clock) for _ in range(30)]
    smtp.delay = 0.005
    start = threading.Barrier(2)
    sent_by_worker, errors = [], []

    def worker():
        try:
            with app.app_context():
                start.wait()
                sent = 0
                while batch := deliver_pending(limit=3).sent:
                    sent += batch
                sent_by_worker.append(sent)
        except Exception as error:  # surfaced below: an exception in a thread would vanish
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(sent_by_worker) == 2 and all(sent_by_worker), sent_by_worker  # both really worked
    assert sorted(smtp.tried) == sorted(row.message_id for row in rows)
    db.session.expire_all()
    assert {row.status for row in rows} == {OutboxStatus.SENT}


def test_mail_queued_inside_a_savepoint_is_scheduled_when_the_real_commit_happens(app, db, monkeypatch):
    from marketplace.notify import delivery, operations

    scheduled = []
    monkeypatch.setattr(delivery, "deliver_outbox", lambda: scheduled.append(True))
    with db.session.begin_nested():
        operations.queue_email("a@example.edu.cn", "主题", "正文", kind="account.password_changed")
    assert scheduled == []
    db.session.commit()
    assert scheduled == [True]
