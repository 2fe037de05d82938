"""A campaign's first requests, a batch at a time: each survey's request step recorded and its email stored in
one transaction, the emails sent over one SMTP session, before the surveys start. The survey workflow would
otherwise do the same for each survey with a local activity, an email activity and four commits
(bench_campaign.py measures the difference)."""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from activities import metrics
from activities.blocking import Blocking
from activities.email import EmailActivities, sendable
from activities.outbox import Outbox, by_key
from activities.records import apply_transition
from activities.smtp import Connection, SendErrors, describe, wire
from models.base import utcnow
from models.messages import SurveyInput, first_request
from models.outbox import EmailMessage

log = logging.getLogger("minerals.email")
MARK_EVERY = 5  # emails a session had taken before they are marked sent together
RELAY_SESSIONS = 4  # SMTP sessions a batch is spread over


class Requests:
    """Records and sends the first request of many surveys at once; dependencies are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        email: EmailActivities,
        blocking: Blocking,
        per_second: float = 0,
    ) -> None:
        self._sessions = sessions
        self._email = email
        self._blocking = blocking
        # 0: this worker sends no email (another serves the email queue): the surveys send their requests.
        self._rate = Rate(per_second) if per_second > 0 else None
        self._outbox = Outbox(sessions)

    async def announce(self, surveys: list[tuple[str, SurveyInput]]) -> set[int]:
        """Record the request of each (workflow id, input) and send its email; the survey ids whose email
        went out. The others' workflows send theirs themselves, with retries and bounce handling."""
        fresh = await self._blocking(self.record, surveys)
        return await self.send(fresh) if fresh else set()

    def record(self, surveys: list[tuple[str, SurveyInput]]) -> list[EmailMessage]:
        """Write each survey's request step and store its email, in one transaction; the emails stored now.

        A request recorded before (an earlier attempt, or the survey's own workflow) is left as it is, and
        so is its email: whoever stored it sends it.
        """
        fresh: list[EmailMessage] = []
        with self._sessions.begin() as session:
            for workflow_id, inp in surveys:
                transition, email = first_request(workflow_id, inp)
                if not apply_transition(session, transition) or by_key(session, email.key) is not None:
                    continue
                row = self._email.composed_row(session, email)
                if self._rate is not None and sendable(row):  # counted before the relay is contacted
                    row.attempts, row.attempted_at = 1, utcnow()
                    fresh.append(row)
                session.add(row)
        return fresh

    async def send(self, rows: list[EmailMessage]) -> set[int]:
        """Send stored emails over a few SMTP sessions at once (each waits on the relay's replies), marking
        them sent in groups; the survey ids sent."""
        sessions = [rows[n::RELAY_SESSIONS] for n in range(min(RELAY_SESSIONS, len(rows)))]
        sent = await asyncio.gather(*(self._send_over(share) for share in sessions))
        return set().union(*sent)

    async def _send_over(self, rows: list[EmailMessage]) -> set[int]:
        """Send emails over one SMTP session. At the first failure it stops: that email and the rest are
        left unsent for the surveys' own email activities, which retry and record a refused address."""
        smtp = self._email.smtp
        done: set[int] = set()
        taken: dict[int, dict[str, str]] = {}
        try:
            async with Connection(smtp) as relay:
                for row in rows:
                    if self._rate is not None:
                        await self._rate.take()
                    try:
                        taken[row.id] = await relay.send(wire(row, smtp.mail_from))
                    except SendErrors as exc:
                        await self._blocking(self._outbox.failed, row.id, describe(exc))
                        raise
                    if len(taken) >= MARK_EVERY:
                        done |= await self._mark(rows, taken)
        except SendErrors as exc:
            left = len(rows) - len(done) - len(taken)
            log.warning("campaign requests: %s left to their surveys: %s", left, describe(exc))
        if taken:
            done |= await self._mark(rows, taken)
        return done

    async def _mark(self, rows: list[EmailMessage], taken: dict[int, dict[str, str]]) -> set[int]:
        wait = 0.2
        while True:  # retried here, never by sending again, while the database is locked
            try:
                await self._blocking(self._outbox.sent_all, dict(taken))
                break
            except OperationalError as exc:
                log.warning("campaign requests: marking %s emails sent: %s", len(taken), exc.orig)
                await asyncio.sleep(wait)
                wait = min(wait * 2, 10.0)
        for _ in taken:
            metrics.email_sent("request")
        ids = {row.survey_id for row in rows if row.id in taken and row.survey_id is not None}
        taken.clear()
        return ids


class Rate:
    """At most `per_second` emails a second from a worker's campaign batches (MINERALS_EMAIL_PER_SECOND)."""

    def __init__(self, per_second: float) -> None:
        self._gap = 1 / per_second
        self._next = 0.0

    async def take(self) -> None:
        """Wait for the next slot."""
        now = time.monotonic()
        self._next = max(self._next, now)
        wait, self._next = self._next - now, self._next + self._gap
        if wait > 0:
            await asyncio.sleep(wait)
