"""A real SMTP relay for the email tests (aiosmtpd): refuses chosen addresses, runs a hook on DATA."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage as Mime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from survey_kit import free_port


@dataclass
class Relay:
    """Keeps every message; answers RCPT with 550 (`refuse`) or 450 (`defer`); calls `on_data` first."""

    port: int
    refuse: set[str] = field(default_factory=set)
    defer: set[str] = field(default_factory=set)
    on_data: Callable[[], None] | None = None
    messages: list[Mime] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address in self.defer:
            return f"450 4.2.0 <{address}>: Mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.on_data is not None:
            self.on_data()
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, Mime)
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"

    def message_ids(self) -> list[str]:
        """The Message-ID of every message received, in order."""
        return [str(m["Message-ID"]) for m in self.messages]


@pytest.fixture
def relay() -> Iterator[Relay]:
    """A running relay on a free port."""
    yield from running_relay()


def running_relay() -> Iterator[Relay]:
    """Start a relay on a free port, yield it, stop it."""
    found = Relay(free_port())
    controller = Controller(found, hostname="127.0.0.1", port=found.port)
    controller.start()
    try:
        yield found
    finally:
        controller.stop()
