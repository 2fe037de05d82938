"""Email once and visibly: each attempt counted before it is made, a locked database never sends twice,
a refused address is a bounce (not retried) until it is corrected, a failing relay is logged once a minute."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from email.message import EmailMessage as Mime
from typing import Any

import pytest
from mail_relay import Relay
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import add_supplier, free_port, make_campaign
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory
from temporalio.testing import ActivityEnvironment
from test_email import activities as mailer
from test_email import request

from activities.email import RELAYED, EmailActivities
from activities.failures import FailureLog
from models.audit import AuditEvent
from models.db import make_engine, session_factory
from models.enums import EmailKind, ErrorType
from models.messages import Cadence
from models.outbox import EmailMessage
from models.supplier import Supplier
from models.survey import Survey

DUE = dt.datetime(2030, 3, 31, 23, 59, tzinfo=dt.UTC)


def case(sessions: sessionmaker[Session], email: str = "x1@supplier.test") -> int:
    add_supplier(sessions, "X1", email=email)
    make_campaign(sessions, "c1", ["X1"], DUE, Cadence())
    with sessions() as session:
        found = session.scalar(select(Survey.id))
        assert found is not None
        return found


def outbox(sessions: sessionmaker[Session]) -> list[EmailMessage]:
    with sessions() as session:
        return list(session.scalars(select(EmailMessage).order_by(EmailMessage.id)))


def audit(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def set_email(sessions: sessionmaker[Session], address: str) -> None:
    with sessions.begin() as session:
        supplier = session.scalar(select(Supplier).where(Supplier.supplier_id == "X1"))
        assert supplier is not None
        supplier.email = address


async def bounce_of(run: Callable[[], object]) -> ApplicationError:
    with pytest.raises(ApplicationError) as failed:
        await run()  # type: ignore[misc]
    return failed.value


async def refused_request(
    sessions: sessionmaker[Session], relay: Relay
) -> tuple[int, ActivityEnvironment, EmailActivities, ApplicationError]:
    """A case whose supplier address the relay refuses, after its request email was tried."""
    survey_id = case(sessions, "gone@supplier.test")
    relay.refuse.add("gone@supplier.test")
    env, email = ActivityEnvironment(), mailer(sessions, relay.port)
    return survey_id, env, email, await bounce_of(lambda: env.run(email.send_email, request(survey_id)))


async def test_a_refused_address_bounces_for_good_and_is_sent_again_once_corrected(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    survey_id, env, email, error = await refused_request(sessions, relay)
    assert error.type == ErrorType.EMAIL_BOUNCED and error.non_retryable
    assert "gone@supplier.test" in error.message and "550" in error.message
    (row,) = outbox(sessions)
    assert row.bounced_at is not None and row.sent_at is None and row.attempts == 1
    assert row.last_error and "550" in row.last_error and relay.messages == []
    assert [(e.after or {})["to"] for e in audit(sessions, "email.bounced")] == [["gone@supplier.test"]]

    # The same email asked again before the address is corrected: refused at once, the relay not asked.
    again = await bounce_of(lambda: env.run(email.send_email, request(survey_id)))
    assert again.type == ErrorType.EMAIL_BOUNCED and outbox(sessions)[0].attempts == 1

    set_email(sessions, "right@supplier.test")
    await env.run(email.send_email, request(survey_id))
    (row,) = outbox(sessions)
    assert row.to == ["right@supplier.test"] and row.sent_at is not None
    assert (row.bounced_at, row.last_error, row.attempts) == (None, None, 2)
    assert [m["X-Envelope-To"] for m in relay.messages] == ["right@supplier.test"]
    assert len(audit(sessions, "email.readdressed")) == 1


async def test_a_malformed_address_bounces_without_asking_the_relay(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    survey_id = case(sessions, "not an address")
    error = await bounce_of(
        lambda: ActivityEnvironment().run(mailer(sessions, relay.port).send_email, request(survey_id))
    )
    assert error.type == ErrorType.EMAIL_BOUNCED and "not an email address" in error.message
    (row,) = outbox(sessions)
    assert row.bounced_at is not None and row.attempts == 0 and relay.messages == []


async def test_a_temporary_refusal_is_retried_and_its_error_cleared_once_sent(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    survey_id = case(sessions)
    relay.defer.add("x1@supplier.test")
    env, email = ActivityEnvironment(), mailer(sessions, relay.port)
    error = await bounce_of(lambda: env.run(email.send_email, request(survey_id)))
    assert not error.non_retryable and error.category == ApplicationErrorCategory.BENIGN
    (row,) = outbox(sessions)
    assert row.bounced_at is None and row.last_error and "450" in row.last_error
    relay.defer.clear()
    await env.run(email.send_email, request(survey_id))
    (row,) = outbox(sessions)
    assert row.sent_at is not None and row.last_error is None and row.attempts == 2
    assert len(relay.messages) == 1


async def test_each_attempt_is_recorded_before_the_relay_is_contacted(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    survey_id = case(sessions)
    seen: list[tuple[int, bool, bool]] = []

    def look() -> None:  # from the relay, while the message is being handed over
        (row,) = outbox(sessions)
        seen.append((row.attempts, row.attempted_at is not None, row.sent_at is not None))

    relay.on_data = look
    await ActivityEnvironment().run(mailer(sessions, relay.port).send_email, request(survey_id))
    assert seen == [(1, True, False)]


class WriteLock:
    """Holds the outbox's write lock from another connection, as a long report or a stuck process would:
    SQLite's database lock, or on PostgreSQL an EXCLUSIVE lock on the table (reads go on)."""

    def __init__(self, database_url: str, seconds: float) -> None:
        self.engine, self.seconds = make_engine(database_url), seconds
        self.taken = threading.Event()

    def take(self) -> None:
        """Take the lock now (returns once it is held) and let it go after `seconds`."""
        threading.Thread(target=self._hold, daemon=True).start()
        assert self.taken.wait(10)

    def _hold(self) -> None:
        with self.engine.connect() as conn:
            driver: Any = conn.connection.driver_connection
            if self.engine.dialect.name == "sqlite":
                driver.isolation_level = None  # sqlite3 takes BEGIN from us
                driver.execute("BEGIN IMMEDIATE")
            else:
                conn.execute(text("LOCK TABLE email_messages IN EXCLUSIVE MODE"))
            self.taken.set()
            threading.Event().wait(self.seconds)
            if self.engine.dialect.name == "sqlite":
                driver.execute("COMMIT")
            else:
                conn.commit()
        self.engine.dispose()


def short_lock_wait(database_url: str) -> sessionmaker[Session]:
    """Sessions that give up on a lock after 0.2 s (SQLite's busy timeout is 30 s in production; PostgreSQL
    has no lock timeout there and waits), so marking an email sent meets OperationalError."""
    engine = make_engine(database_url)
    statement = (
        "PRAGMA busy_timeout = 200" if engine.dialect.name == "sqlite" else "SET lock_timeout = '200ms'"
    )

    @event.listens_for(engine, "connect")
    def _short(conn, _record):  # type: ignore[no-untyped-def]
        cursor = conn.cursor()
        cursor.execute(statement)
        cursor.close()
        if engine.dialect.name != "sqlite":
            conn.commit()

    return session_factory(engine)


async def test_a_database_lock_while_marking_sent_never_sends_twice(
    sessions: sessionmaker[Session], relay: Relay, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    survey_id = case(sessions)
    quick = short_lock_wait(database_url)
    lock = WriteLock(database_url, seconds=1.5)  # several lock waits long
    relay.on_data = lock.take  # taken before the relay answers 250: the mark meets it
    env, beats = ActivityEnvironment(), []
    env.on_heartbeat = lambda *details: beats.append(details)
    with caplog.at_level(logging.WARNING, "minerals.email"):
        await env.run(mailer(quick, relay.port).send_email, request(survey_id))
    assert len(relay.messages) == 1
    (row,) = outbox(sessions)
    assert row.sent_at is not None and row.attempts == 1 and len(audit(sessions, "email.sent")) == 1
    assert any("marking email" in r.getMessage() for r in caplog.records)  # the lock was met
    assert (RELAYED,) in beats  # a retry after a timeout would know the relay took it


async def test_a_retry_after_the_relay_took_the_message_only_marks_it_sent(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    survey_id = case(sessions)
    email = mailer(sessions, relay.port)
    email.store(request(survey_id))  # the first attempt stored it, the relay took it, then it was cut off
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, attempt=2, heartbeat_details=[RELAYED])
    await env.run(email.send_email, request(survey_id))
    assert relay.messages == []
    (row,) = outbox(sessions)
    assert row.sent_at is not None


async def test_a_resend_after_a_cut_between_relay_and_mark_carries_the_same_message_id(
    sessions: sessionmaker[Session], relay: Relay, database_url: str
) -> None:
    survey_id = case(sessions)
    quick = short_lock_wait(database_url)
    lock = WriteLock(database_url, seconds=1.0)
    relay.on_data = lock.take
    env, relayed = ActivityEnvironment(), asyncio.Event()
    env.on_heartbeat = lambda *details: relayed.set()
    running = asyncio.create_task(env.run(mailer(quick, relay.port).send_email, request(survey_id)))
    await relayed.wait()  # the relay took it; the mark waits on the lock
    env.cancel()  # the worker is gone before the mark, and with it what it told the server
    with pytest.raises(asyncio.CancelledError):
        await running
    relay.on_data = None
    assert outbox(sessions)[0].sent_at is None
    await ActivityEnvironment().run(mailer(sessions, relay.port).send_email, request(survey_id))
    ids = relay.message_ids()
    assert len(ids) == 2 and ids[0] == ids[1]
    assert outbox(sessions)[0].attempts == 2


async def test_a_failing_relay_is_logged_once_not_once_an_attempt(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    survey_id = case(sessions)
    email, env = mailer(sessions, free_port()), ActivityEnvironment()
    with caplog.at_level(logging.INFO, "minerals.email"):
        for _ in range(5):
            with pytest.raises(ApplicationError):
                await env.run(email.send_email, request(survey_id))
    lines = [r for r in caplog.records if r.name == "minerals.email"]
    assert len(lines) == 1 and "SMTPConnectError" in lines[0].getMessage() and not lines[0].exc_info
    assert outbox(sessions)[0].attempts == 5


def test_failure_log_says_once_a_minute_how_many_failures_followed(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    failures = FailureLog(logging.getLogger("minerals.test"), clock=lambda: now[0])
    with caplog.at_level(logging.INFO, "minerals.test"):
        logged = [failures.failed("SMTPConnectError", "relay:25", "refused") for _ in range(100)]
        failures.failed("OperationalError", "outbox", "database is locked")  # another kind: its own line
        now[0] = 61.0
        logged.append(failures.failed("SMTPConnectError", "relay:25", "refused"))
        failures.recovered("relay:25")
        logged.append(failures.failed("SMTPConnectError", "relay:25", "refused"))
    assert logged.count(True) == 3 and logged[0] and logged[-2] and logged[-1]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 5
    assert "99 more since the last report" in messages[2] and "relay:25 works again" in messages[3]


async def test_the_bounce_notice_tells_the_owner_which_address_was_refused_and_how_to_correct_it(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    survey_id, env, email, _ = await refused_request(sessions, relay)
    notice = request(survey_id, EmailKind.BOUNCE_NOTICE, "survey-c1-X1/r0/request/bounce-notice")
    await env.run(email.send_email, notice)
    (sent,) = relay.messages
    assert sent["X-Envelope-To"] == "buyer@company.test" and sent["X-Minerals-Kind"] == "bounce-notice"
    text = relay_text(sent)
    assert "gone@supplier.test" in text and "550 5.1.1" in text
    assert "minerals suppliers update X1 --email NEW-ADDRESS" in text and f"/cases/{survey_id}" in text


async def test_a_bounce_notice_with_no_owner_to_tell_is_a_missing_row(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    survey_id = case(sessions)
    with sessions.begin() as session:
        session.execute(update(Supplier).values(owner_email=""))
    notice = request(survey_id, EmailKind.BOUNCE_NOTICE, "k/bounce-notice")
    error = await bounce_of(
        lambda: ActivityEnvironment().run(mailer(sessions, relay.port).send_email, notice)
    )
    assert error.type == ErrorType.MISSING_ROW and error.non_retryable and "owner email" in error.message


def relay_text(message: Mime) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


async def test_an_email_waiting_on_a_dead_relay_goes_to_the_corrected_address(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    survey_id = case(sessions, "old@supplier.test")
    env = ActivityEnvironment()
    dead = mailer(sessions, free_port())  # nothing listens: the relay is down
    error = await bounce_of(lambda: env.run(dead.send_email, request(survey_id)))
    assert not error.non_retryable
    assert outbox(sessions)[0].to == ["old@supplier.test"]

    set_email(sessions, "new@supplier.test")  # staff correct the address during the outage
    await env.run(mailer(sessions, relay.port).send_email, request(survey_id))
    (row,) = outbox(sessions)
    assert row.to == ["new@supplier.test"] and row.sent_at is not None and row.attempts == 2
    assert [m["X-Envelope-To"] for m in relay.messages] == ["new@supplier.test"]
    (readdressed,) = audit(sessions, "email.readdressed")
    assert (readdressed.before or {})["to"] == ["old@supplier.test"]
