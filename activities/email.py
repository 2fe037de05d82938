"""The email activity: outbox row first (unique per workflow step), then SMTP, then marked sent."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage as MimeMessage
from email.utils import parseaddr

import aiosmtplib
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities import metrics
from activities.compose import EmailRenderer, compose
from activities.links import LinkSigner
from models.audit import AuditEvent
from models.base import utcnow
from models.enums import ActivityName
from models.messages import EmailRequest
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


class EmailActivities:
    """Sends a case's emails exactly once per idempotency key; dependencies are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        smtp: SmtpConfig,
        links: LinkSigner,
        renderer: EmailRenderer | None = None,
        link_valid_after_due: dt.timedelta = dt.timedelta(days=90),
    ) -> None:
        self._sessions = sessions
        self._smtp = smtp
        self._links = links
        self._renderer = renderer or EmailRenderer()
        self._link_valid_after_due = link_valid_after_due

    @activity.defn(name=ActivityName.SEND_EMAIL)
    async def send_email(self, req: EmailRequest) -> None:
        """Store the email in the outbox (once), send it unless it was sent, then mark it sent."""
        message = await asyncio.to_thread(self.store, req)
        if message.sent_at is not None:
            return
        try:
            await aiosmtplib.send(
                self.mime(message),
                hostname=self._smtp.host,
                port=self._smtp.port,
                start_tls=self._smtp.starttls,
                username=self._smtp.username or None,
                password=self._smtp.password or None,
                timeout=self._smtp.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            # The activity retries with backoff; the worker carries on.
            await asyncio.to_thread(self._failed, message.id, f"{type(exc).__name__}: {exc}")
            metrics.email_failed(message.kind)
            raise
        await asyncio.to_thread(self._sent, message.id)
        metrics.email_sent(message.kind)

    def store(self, req: EmailRequest) -> EmailMessage:
        """The outbox row of a request, composed and inserted the first time only."""
        try:
            with self._sessions.begin() as session:
                found = _by_key(session, req.key)
                if found is not None:
                    return found
                made = compose(
                    session, req, self._renderer, self._links, self._link_valid_after_due, utcnow()
                )
                row = EmailMessage(
                    survey_id=req.survey_id,
                    kind=req.kind.value,
                    language=made.rendered.language,
                    to=made.to,
                    cc=made.cc,
                    subject=made.rendered.subject,
                    text_body=made.rendered.text,
                    html_body=made.rendered.html,
                    links=made.links,
                    idempotency_key=req.key,
                )
                session.add(row)
            return row
        except IntegrityError:  # a concurrent attempt inserted the same key first
            return self._reload(req.key)

    def mime(self, row: EmailMessage) -> MimeMessage:
        """The MIME message of an outbox row: text and HTML alternatives, a Message-ID from its key."""
        msg = MimeMessage()
        msg["From"] = self._smtp.mail_from
        msg["To"] = ", ".join(row.to)
        if row.cc:
            msg["Cc"] = ", ".join(row.cc)
        msg["Subject"] = row.subject
        domain = parseaddr(self._smtp.mail_from)[1].rpartition("@")[2] or "localhost"
        msg["Message-ID"] = f"<{hashlib.sha256(row.idempotency_key.encode()).hexdigest()[:40]}@{domain}>"
        msg["X-Minerals-Kind"] = row.kind
        msg.set_content(row.text_body)
        msg.add_alternative(row.html_body, subtype="html")
        return msg

    def _reload(self, key: str) -> EmailMessage:
        with self._sessions() as session:
            found = _by_key(session, key)
            assert found is not None
            return found

    def _failed(self, message_id: int, error: str) -> None:
        with self._sessions.begin() as session:
            row = session.get(EmailMessage, message_id)
            if row is not None:
                row.attempts += 1
                row.last_error = error[:1000]

    def _sent(self, message_id: int) -> None:
        with self._sessions.begin() as session:
            row = session.get(EmailMessage, message_id, with_for_update=True)
            if row is None or row.sent_at is not None:
                return
            row.attempts += 1
            row.sent_at = utcnow()
            session.add(
                AuditEvent(
                    actor="system",
                    action="email.sent",
                    subject=f"survey:{row.survey_id}" if row.survey_id else f"email:{row.id}",
                    after={"kind": row.kind, "email_id": row.id, "key": row.idempotency_key},
                    idempotency_key=f"{row.idempotency_key}/sent",
                )
            )


def _by_key(session: Session, key: str) -> EmailMessage | None:
    return session.scalar(select(EmailMessage).where(EmailMessage.idempotency_key == key))
