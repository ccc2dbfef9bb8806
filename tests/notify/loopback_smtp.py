"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the delivery tests: it keeps what it accepts, and
can refuse each message with a given reply, hang up in the middle of one, or be down."""

from __future__ import annotations

import asyncio
import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LoopbackSMTP:
    def __init__(self):
        self.port = free_port()
        self.reply: str | None = None  # e.g. "550 5.1.1 mailbox unavailable": refuse every message
        self.hang_up = False  # close the connection in the middle of the next message
        self.delay = 0.0  # seconds spent on each message, before answering
        self.tried: list[str] = []  # Message-IDs handed over, accepted or not
        self.accepted: list[tuple[list[str], Message]] = []  # (envelope recipients, message)
        self._controller: Controller | None = None

    @property
    def down(self) -> bool:
        """Whether nothing listens on the port (connecting is refused)."""
        return self._controller is None

    @down.setter
    def down(self, down: bool) -> None:
        if down and self._controller is not None:
            self._controller.stop()
            self._controller = None
        elif not down and self._controller is None:
            self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    @property
    def messages(self) -> list[Message]:
        return [message for _, message in self.accepted]

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        self.tried.append(message["Message-ID"])
        await asyncio.sleep(self.delay)
        if self.hang_up:
            self.hang_up = False
            server.transport.close()
            return "421 4.3.0 closing (the connection is already gone)"
        if self.reply:
            return self.reply
        self.accepted.append((list(envelope.rcpt_tos), message))
        return "250 2.0.0 OK"
