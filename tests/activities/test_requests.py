"""A campaign's batched first requests: recorded and emailed once each over one SMTP session; what the relay
does not take is left, recorded, for the survey's own email activity."""

from __future__ import annotations

import datetime as dt

from mail_relay import Relay
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import add_supplier, free_port, make_campaign
from test_email import activities as mailer

from activities.blocking import Blocking
from activities.requests import Requests
from models.audit import AuditEvent
from models.enums import Stage
from models.messages import Cadence, SurveyInput
from models.outbox import EmailMessage
from models.survey import Survey

DUE = dt.datetime(2030, 3, 31, 23, 59, tzinfo=dt.UTC)


def surveys(sessions: sessionmaker[Session], count: int) -> list[tuple[str, SurveyInput]]:
    """A campaign of `count` suppliers: each survey's workflow id and input, as a campaign page reads them."""
    ids = [f"S{n}" for n in range(count)]
    for supplier in ids:
        add_supplier(sessions, supplier)
    make_campaign(sessions, "c1", ids, DUE, Cadence())
    with sessions() as session:
        rows = session.execute(select(Survey.id, Survey.workflow_id).order_by(Survey.id)).all()
    return [
        (wid, SurveyInput(survey_id=sid, campaign="c1", supplier_id=ids[n], due_at=DUE))
        for n, (sid, wid) in enumerate(rows)
    ]


def requests(sessions: sessionmaker[Session], port: int, per_second: float = 1000.0) -> Requests:
    return Requests(sessions, mailer(sessions, port), Blocking(), per_second)


def outbox(sessions: sessionmaker[Session]) -> list[EmailMessage]:
    with sessions() as session:
        return list(session.scalars(select(EmailMessage).order_by(EmailMessage.id)))


def requested(sessions: sessionmaker[Session]) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "survey.requested")))


async def test_a_batch_is_recorded_and_emailed_once_each_and_a_second_pass_changes_nothing(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    batch = surveys(sessions, 12)  # more than one group of marks
    sent = await requests(sessions, relay.port).announce(batch)
    assert sent == {inp.survey_id for _, inp in batch}
    assert len(relay.messages) == 12 and len(set(relay.message_ids())) == 12
    with sessions() as session:
        stages = set(session.scalars(select(Survey.stage)))
    assert stages == {Stage.REQUESTED.value}
    assert sorted(str(e.idempotency_key) for e in requested(sessions)) == sorted(
        f"{w}/r0/request" for w, _ in batch
    )
    rows = outbox(sessions)
    assert all(r.sent_at is not None and r.attempts == 1 and r.kind == "request" for r in rows)
    assert await requests(sessions, relay.port).announce(batch) == set()  # a retried page
    assert len(relay.messages) == 12 and len(outbox(sessions)) == 12 and len(requested(sessions)) == 12


async def test_a_refused_address_stops_its_session_and_leaves_the_rest_to_the_surveys(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    batch = surveys(sessions, 9)  # spread over four SMTP sessions: S1, S5 and S9's share one
    relay.refuse.add("s1@supplier.test")
    sent = await requests(sessions, relay.port).announce(batch)
    assert sent == {inp.survey_id for n, (_, inp) in enumerate(batch) if n not in (1, 5)}
    rows = outbox(sessions)
    assert [r.sent_at is not None for r in rows] == [n not in (1, 5) for n in range(9)]
    assert "550" in (rows[1].last_error or "") and rows[1].bounced_at is None  # the survey records the bounce
    assert rows[5].last_error is None and len(relay.messages) == 7
    assert len(requested(sessions)) == 9  # every case is requested; its email is on its way either way


async def test_a_dead_relay_sends_nothing_and_loses_nothing(sessions: sessionmaker[Session]) -> None:
    batch = surveys(sessions, 3)
    assert await requests(sessions, free_port()).announce(batch) == set()
    rows = outbox(sessions)
    assert len(rows) == 3 and all(r.sent_at is None and r.attempts == 1 for r in rows)


async def test_a_worker_without_email_records_the_requests_and_sends_none(
    sessions: sessionmaker[Session], relay: Relay
) -> None:
    batch = surveys(sessions, 3)
    assert await requests(sessions, relay.port, per_second=0).announce(batch) == set()
    assert relay.messages == [] and len(requested(sessions)) == 3
    assert [r.sent_at for r in outbox(sessions)] == [None, None, None]
