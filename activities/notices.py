"""Emails that belong to no case: the owners' registry digest and the smelter outreach letters. Stored in
the outbox once per key (survey_id empty), sent over SMTP, marked sent; a retry never sends twice."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, cast

from sqlalchemy.orm import Session, sessionmaker

from activities.compose import Composed, EmailRenderer
from activities.errors import bounced
from activities.outbox import Outbox, by_key, fill
from activities.smtp import SendErrors, SmtpConfig, describe, permanent, wire
from activities.smtp import send as send_one
from models.enums import EmailKind
from models.outbox import EmailMessage


class NoticeKind(StrEnum):
    """Kinds of email outside the cases; each has a text and an HTML template per language."""

    REGISTRY_DIGEST = "registry-digest"
    OUTREACH_LETTER = "outreach-letter"
    OUTREACH_FOLLOW_UP = "outreach-follow-up"


class Notices:
    """Renders, stores and sends notices; the session factory and the relay are injected."""

    def __init__(
        self, sessions: sessionmaker[Session], smtp: SmtpConfig, renderer: EmailRenderer | None = None
    ) -> None:
        self._sessions = sessions
        self._outbox = Outbox(sessions)
        self._smtp = smtp
        self._renderer = renderer or EmailRenderer()

    def store(
        self, key: str, kind: NoticeKind, language: str, to: list[str], context: dict[str, Any]
    ) -> EmailMessage:
        """The outbox row of a notice, rendered and inserted the first time only (blocking)."""
        with self._sessions() as session:
            found = by_key(session, key)
        if found is not None:
            return found
        rendered = self._renderer.render(cast(EmailKind, kind), language, context)
        row = EmailMessage(survey_id=None, kind=kind.value, idempotency_key=key)
        fill(row, Composed(to=to, cc=[], rendered=rendered))
        return self._outbox.insert(row)

    async def send(self, row: EmailMessage) -> None:
        """Send a stored notice unless it was sent; a permanent refusal is recorded and not retried."""
        if row.sent_at is not None:
            return
        self._outbox.attempting(row.id)
        try:
            await send_one(self._smtp, wire(row, self._smtp.mail_from))
        except SendErrors as exc:
            if permanent(exc):
                self._outbox.bounced(row.id, describe(exc))
                raise bounced(f"{', '.join(row.to)}: {describe(exc)}") from exc
            self._outbox.failed(row.id, describe(exc))
            raise
        self._outbox.sent(row.id)
