"""The email activity: exactly once per key, survives a dead SMTP server, escapes what suppliers wrote."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import BASE_URL, SECRET, SmtpSink, add_supplier, free_port, make_campaign
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities import EmailActivities, LinkSigner, SmtpConfig
from models.enums import EmailKind
from models.messages import Cadence, EmailRequest
from models.outbox import EmailMessage
from models.survey import Survey

DUE = dt.datetime(2030, 3, 31, 23, 59, tzinfo=dt.UTC)


def case(sessions: sessionmaker[Session], language: str = "en", name: str = "Supplier X") -> int:
    add_supplier(sessions, "X1", language, name=name, contact_name="<b>Pat</b>")
    make_campaign(sessions, "c1", ["X1"], DUE, Cadence())
    with sessions() as session:
        survey_id = session.scalar(select(Survey.id))
        assert survey_id is not None
        return survey_id


def activities(sessions: sessionmaker[Session], port: int) -> EmailActivities:
    return EmailActivities(
        sessions, SmtpConfig("127.0.0.1", port, "Minerals <m@company.test>"), LinkSigner(SECRET, BASE_URL)
    )


def request(
    survey_id: int, kind: EmailKind = EmailKind.REQUEST, key: str = "survey-c1-X1/r0/request"
) -> EmailRequest:
    return EmailRequest(survey_id=survey_id, key=key, kind=kind, due_at=DUE)


async def test_a_retried_send_delivers_once(sessions: sessionmaker[Session], smtp: SmtpSink) -> None:
    survey_id = case(sessions)
    env, email = ActivityEnvironment(), activities(sessions, smtp.port)
    await env.run(email.send_email, request(survey_id))
    await env.run(email.send_email, request(survey_id))
    assert len(smtp.messages) == 1
    with sessions() as session:
        rows = session.scalars(select(EmailMessage)).all()
    assert len(rows) == 1 and rows[0].sent_at is not None and rows[0].attempts == 1
    assert rows[0].links and rows[0].links[0].startswith(f"{BASE_URL}/upload/")
    assert (
        LinkSigner(SECRET, BASE_URL).verify(rows[0].links[0].rsplit("/", 1)[1], dt.datetime.now(dt.UTC))
        == survey_id
    )


async def test_a_dead_smtp_server_fails_the_attempt_and_the_retry_sends_the_stored_email(
    sessions: sessionmaker[Session], smtp: SmtpSink
) -> None:
    survey_id = case(sessions)
    env = ActivityEnvironment()
    with pytest.raises(ApplicationError) as failed:
        await env.run(activities(sessions, free_port()).send_email, request(survey_id))
    assert failed.value.type == "SMTPConnectError" and not failed.value.non_retryable
    with sessions() as session:
        row = session.scalars(select(EmailMessage)).one()
        assert (row.sent_at, row.attempts) == (None, 1) and row.last_error
        subject = row.subject
    await env.run(activities(sessions, smtp.port).send_email, request(survey_id))
    assert len(smtp.messages) == 1 and smtp.messages[0]["Subject"] == subject


async def test_supplier_text_is_escaped_in_html_and_headers(
    sessions: sessionmaker[Session], smtp: SmtpSink
) -> None:
    survey_id = case(sessions, name="Evil <script>alert(1)</script>\r\nBcc: x@evil.test")
    await ActivityEnvironment().run(activities(sessions, smtp.port).send_email, request(survey_id))
    msg = smtp.messages[0]
    assert "<script>" not in smtp.html(0) and "&lt;script&gt;" in smtp.html(0)
    assert "&lt;b&gt;Pat&lt;/b&gt;" in smtp.html(0)
    assert msg["Bcc"] is None and "x@evil.test" not in msg["X-Envelope-To"]


@pytest.mark.parametrize(
    ("language", "word"), [("zh-CN", "请"), ("ja", "お願い"), ("de", "füllen"), ("it", "complete the")]
)
async def test_email_is_in_the_supplier_language_with_english_fallback(
    sessions: sessionmaker[Session], smtp: SmtpSink, language: str, word: str
) -> None:
    survey_id = case(sessions, language)
    await ActivityEnvironment().run(activities(sessions, smtp.port).send_email, request(survey_id))
    assert word in str(smtp.messages[0]["Subject"]) and word in smtp.text(0)
