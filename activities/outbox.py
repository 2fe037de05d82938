"""The outbox row's life: stored once, each attempt counted before it is made, then sent or bounced."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from activities.compose import Composed
from models.audit import AuditEvent
from models.base import utcnow
from models.outbox import EmailMessage

MAX_ERROR = 1000


def by_key(session: Session, key: str) -> EmailMessage | None:
    """The outbox row of an idempotency key."""
    return session.scalar(select(EmailMessage).where(EmailMessage.idempotency_key == key))


def subject_of(row: EmailMessage) -> str:
    """The audit subject of an email: its case, or the email itself."""
    return f"survey:{row.survey_id}" if row.survey_id else f"email:{row.id}"


def fill(row: EmailMessage, made: Composed) -> None:
    """Write a composed email's recipients and content onto its row."""
    row.language, row.to, row.cc = made.rendered.language, made.to, made.cc
    row.subject, row.text_body, row.html_body = made.rendered.subject, made.rendered.text, made.rendered.html
    row.links = made.links


class Outbox:
    """Writes of the email activity, each in its own transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def insert(self, row: EmailMessage) -> EmailMessage:
        """Insert a new row; when a concurrent attempt inserted the same key first, return that one."""
        try:
            with self._sessions.begin() as session:
                session.add(row)
            return row
        except IntegrityError:
            with self._sessions() as session:
                found = by_key(session, row.idempotency_key)
                assert found is not None
                return found

    def attempting(self, message_id: int) -> None:
        """Count an attempt and stamp its start, committed before the relay is contacted."""
        with self._sessions.begin() as session:
            row = _row(session, message_id)
            row.attempts += 1
            row.attempted_at = utcnow()

    def failed(self, message_id: int, error: str) -> None:
        """Keep the error of a failed attempt (the activity retries)."""
        with self._sessions.begin() as session:
            _row(session, message_id).last_error = error[:MAX_ERROR]

    def bounced(self, message_id: int, error: str) -> None:
        """Record a permanent refusal with an audit event; the email is not retried."""
        with self._sessions.begin() as session:
            row = _row(session, message_id)
            if row.bounced_at is not None or row.sent_at is not None:
                return
            row.bounced_at, row.last_error = utcnow(), error[:MAX_ERROR]
            after = {"kind": row.kind, "email_id": row.id, "to": list(row.to), "error": row.last_error}
            session.add(_event(row, "email.bounced", after, f"{row.idempotency_key}/bounced-{row.attempts}"))

    def sent(self, message_id: int, refused: dict[str, str] | None = None) -> None:
        """Mark an email sent (its error cleared) with an audit event; a second call changes nothing."""
        self.sent_all({message_id: refused or {}})

    def sent_all(self, sent: dict[int, dict[str, str]]) -> None:
        """Mark emails sent, each with its audit event (and any copies refused), in one transaction."""
        with self._sessions.begin() as session:
            for message_id, refused in sent.items():
                row = session.get(EmailMessage, message_id, with_for_update=True)
                if row is None or row.sent_at is not None:
                    continue
                row.sent_at, row.last_error = utcnow(), None
                after: dict[str, Any] = {"kind": row.kind, "email_id": row.id, "key": row.idempotency_key}
                if refused:
                    after["refused"] = refused  # some copies were refused; the others went out
                session.add(_event(row, "email.sent", after, f"{row.idempotency_key}/sent"))

    def readdressed(self, message_id: int, made: Composed, now: dt.datetime) -> bool | None:
        """Give an unsent email the case's current recipients: True when they changed, False when not,
        None when they are the ones a bounce refused."""
        with self._sessions.begin() as session:
            row = session.get(EmailMessage, message_id, with_for_update=True)
            assert row is not None
            if row.sent_at is not None:
                return False
            if (made.to, made.cc) == (list(row.to), list(row.cc)):
                return None if row.bounced_at is not None else False
            before: dict[str, Any] = {"to": list(row.to), "cc": list(row.cc)}
            if row.bounced_at is not None:
                before["bounced_at"] = row.bounced_at.isoformat()
            fill(row, made)
            row.bounced_at, row.last_error = None, None
            after = {"kind": row.kind, "email_id": row.id, "to": made.to, "cc": made.cc}
            session.add(_event(row, "email.readdressed", after, None, before=before, at=now))
            return True


def _event(row: EmailMessage, action: str, after: dict[str, Any], key: str | None, **more: Any) -> AuditEvent:
    return AuditEvent(
        actor="system", action=action, subject=subject_of(row), after=after, idempotency_key=key, **more
    )


def _row(session: Session, message_id: int) -> EmailMessage:
    row = session.get(EmailMessage, message_id, with_for_update=True)
    assert row is not None  # outbox rows are never deleted
    return row
