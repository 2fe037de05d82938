"""The relay: where mail goes, an outbox row's wire form, and one connection for many messages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr
from types import TracebackType

import aiosmtplib

from models.outbox import EmailMessage


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send mail; the password never appears in a repr or a log."""

    host: str
    port: int
    mail_from: str
    starttls: bool = False
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0

    @property
    def relay(self) -> str:
        """host:port, as logs and errors name the relay."""
        return f"{self.host}:{self.port}"

    def client(self) -> aiosmtplib.SMTP:
        """A client for this relay (not connected yet)."""
        return aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            start_tls=self.starttls,
            username=self.username or None,
            password=self.password or None,
            timeout=self.timeout,
        )


@dataclass(frozen=True)
class Wire:
    """A message as the relay takes it: envelope sender, recipients and the bytes of the message."""

    sender: str
    recipients: list[str]
    data: bytes


SendErrors = (aiosmtplib.SMTPException, OSError, ValueError)


def permanent(exc: Exception) -> bool:
    """Whether an SMTP failure refuses the message for good: a 5xx reply to MAIL, RCPT or DATA."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(r.code >= 500 for r in exc.recipients)
    if isinstance(
        exc, (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPSenderRefused, aiosmtplib.SMTPDataError)
    ):
        return exc.code >= 500
    return isinstance(exc, ValueError)  # aiosmtplib: an address that cannot be sent safely


def describe(exc: Exception) -> str:
    """One line about an SMTP failure, with each refused recipient and the relay's reply."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return "; ".join(f"{r.recipient} refused: {r.code} {r.message}" for r in exc.recipients)
    return f"{type(exc).__name__}: {exc}"


def message_id(key: str, mail_from: str) -> str:
    """The Message-ID of an outbox row: the same for every attempt, so a resend is recognisably the same."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def _header(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode()


def wire(row: EmailMessage, mail_from: str) -> Wire:
    """An outbox row as a MIME message (text and HTML alternatives, a Message-ID from its key).

    Built with the compat32 classes: the same message as `email.message.EmailMessage` makes, at a third
    of its cost, which counts when a campaign sends thousands.
    """
    msg = MIMEMultipart("alternative")
    msg["From"] = mail_from if mail_from.isascii() else formataddr(parseaddr(mail_from), "utf-8")
    msg["To"] = ", ".join(row.to)
    if row.cc:
        msg["Cc"] = ", ".join(row.cc)
    msg["Subject"] = _header(row.subject)
    msg["Message-ID"] = message_id(row.idempotency_key, mail_from)
    msg["X-Minerals-Kind"] = row.kind
    msg.attach(MIMEText(row.text_body, "plain", "utf-8"))
    msg.attach(MIMEText(row.html_body, "html", "utf-8"))
    return Wire(parseaddr(mail_from)[1], [*row.to, *row.cc], msg.as_bytes())


async def send(smtp: SmtpConfig, message: Wire) -> dict[str, str]:
    """Send one message on a connection of its own; the recipients the relay refused (others accepted)."""
    async with Connection(smtp) as connection:
        return await connection.send(message)


class Connection:
    """One SMTP session for many messages (a campaign's batch of requests)."""

    def __init__(self, smtp: SmtpConfig) -> None:
        self._client = smtp.client()

    async def __aenter__(self) -> Connection:
        await self._client.connect()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client.is_connected:
            try:
                await self._client.quit()
            except SendErrors:
                self._client.close()

    async def send(self, message: Wire) -> dict[str, str]:
        """Send one message; the recipients the relay refused (the others accepted it)."""
        refused, _ = await self._client.sendmail(message.sender, message.recipients, message.data)
        return {address: f"{r.code} {r.message}" for address, r in refused.items()}
