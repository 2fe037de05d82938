"""The email activity: outbox row first (unique per workflow step), each attempt counted, then SMTP, then
marked sent — the mark retried on its own, so a slow database never sends an email twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from concurrent.futures import Executor
from typing import NoReturn

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from activities import metrics
from activities.blocking import Blocking
from activities.compose import Composed, EmailRenderer, compose
from activities.errors import bounced
from activities.failures import FailureLog
from activities.links import LinkSigner
from activities.outbox import Outbox, by_key, fill
from activities.smtp import SendErrors, SmtpConfig, describe, permanent, wire
from activities.smtp import send as send_one
from models.base import utcnow
from models.enums import ActivityName
from models.messages import EmailRequest
from models.outbox import EmailMessage
from models.supplier import is_email_address

log = logging.getLogger("minerals.email")
RELAYED = "relayed"  # heartbeat detail: the relay took the message; a retry only marks it sent
MARK_BACKOFF = (0.2, 10.0)  # first and longest wait between tries to mark an email sent


class EmailActivities:
    """Sends a case's emails once per idempotency key; dependencies are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        smtp: SmtpConfig,
        links: LinkSigner,
        renderer: EmailRenderer | None = None,
        link_valid_after_due: dt.timedelta = dt.timedelta(days=90),
        executor: Executor | None = None,
    ) -> None:
        self._sessions = sessions
        self._outbox = Outbox(sessions)
        self._smtp = smtp
        self.smtp = smtp  # notices outside the cases use the same relay (activities.notices)
        self._links = links
        self._renderer = renderer or EmailRenderer()
        self._link_valid_after_due = link_valid_after_due
        self._blocking = Blocking(executor)
        self._failures = FailureLog(log)

    @activity.defn(name=ActivityName.SEND_EMAIL)
    async def send_email(self, req: EmailRequest) -> None:
        """Store the email (once), count the attempt, send it unless it was sent, then mark it sent.

        A relay's permanent refusal raises EmailBounced (not retried); a bounced email is sent again
        only once the case's recipients changed (the supplier's address was corrected).
        """
        message, counted = await self._blocking(self.store, req)
        if message.sent_at is not None:
            return
        if RELAYED in activity.info().heartbeat_details:  # an earlier attempt was taken, then cut off
            await self._until_marked(message.id)
            return
        if not counted:
            if message.bounced_at is not None or message.attempts:
                # A retry: staff may have corrected the supplier's address since the row was composed.
                message = await self._blocking(self.readdress, message, req)
            invalid = [a for a in [*message.to, *message.cc] if not is_email_address(a)]
            if invalid:
                await self._refused(message, f"not an email address: {', '.join(invalid)}")
            await self._blocking(self._outbox.attempting, message.id)
        try:
            shown = await send_one(self._smtp, wire(message, self._smtp.mail_from))
        except SendErrors as exc:
            if permanent(exc):
                await self._refused(message, describe(exc))
            await self._blocking(self._outbox.failed, message.id, describe(exc))
            metrics.email_failed(message.kind)
            self._failures.failed(type(exc).__name__, self._smtp.relay, describe(exc))
            # Retried with backoff; logged above once a minute, so the SDK need not log each attempt.
            raise ApplicationError(
                f"{self._smtp.relay}: {exc}",
                type=type(exc).__name__,
                category=ApplicationErrorCategory.BENIGN,
            ) from exc
        activity.heartbeat(RELAYED)
        self._failures.recovered(self._smtp.relay)
        await self._until_marked(message.id, shown)
        metrics.email_sent(message.kind)

    async def _until_marked(self, message_id: int, refused: dict[str, str] | None = None) -> None:
        """Mark the email sent, retrying here (never by sending again) while the database is locked."""
        wait, longest = MARK_BACKOFF
        while True:
            try:
                await self._blocking(self._outbox.sent, message_id, refused)
                return
            except OperationalError as exc:
                self._failures.failed("database", "outbox", f"marking email {message_id} sent: {exc.orig}")
                activity.heartbeat(RELAYED)  # a retry after a timeout marks it too, without sending
                await asyncio.sleep(wait)
                wait = min(wait * 2, longest)

    async def _refused(self, message: EmailMessage, error: str) -> NoReturn:
        await self._blocking(self._outbox.bounced, message.id, error)
        metrics.email_bounced(message.kind)
        log.warning("email %s bounced: %s", message.id, error, extra={"kind": message.kind})
        raise bounced(f"{', '.join(message.to)}: {error}")

    def store(self, req: EmailRequest) -> tuple[EmailMessage, bool]:
        """The outbox row of a request, composed and inserted the first time only; True when this call
        inserted it with its first attempt counted (one commit instead of two: every address is valid)."""
        with self._sessions() as session:
            found = by_key(session, req.key)
            if found is not None:
                return found, False
            row = self.composed_row(session, req)
        if sendable(row):
            row.attempts, row.attempted_at = 1, utcnow()
        stored = self._outbox.insert(row)
        return stored, stored is row and row.attempts == 1

    def composed_row(self, session: Session, req: EmailRequest) -> EmailMessage:
        """A new outbox row for a request, composed from the case as it is now (not added to the session)."""
        row = EmailMessage(survey_id=req.survey_id, kind=req.kind.value, idempotency_key=req.key)
        fill(row, self.compose(session, req))
        return row

    def compose(self, session: Session, req: EmailRequest) -> Composed:
        """The email a request asks for, from the case as it is now."""
        return compose(session, req, self._renderer, self._links, self._link_valid_after_due, utcnow())

    def readdress(self, message: EmailMessage, req: EmailRequest) -> EmailMessage:
        """An unsent email given the case's current recipients; EmailBounced when a bounce's are unchanged."""
        with self._sessions() as session:
            made = self.compose(session, req)
        if self._outbox.readdressed(message.id, made, utcnow()) is None:
            raise bounced(f"{', '.join(message.to)}: {message.last_error or 'refused'}; correct the address")
        with self._sessions() as session:  # as it is now, whichever attempt re-addressed it
            found = session.get(EmailMessage, message.id)
            assert found is not None
            return found


def sendable(row: EmailMessage) -> bool:
    """True when every recipient of an outbox row is an email address the relay can be given."""
    return all(is_email_address(a) for a in [*row.to, *row.cc])
