"""Prometheus /metrics of a worker: product counters next to the Temporal runtime's own metrics."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import re
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import (
    BASE_URL,
    SECRET,
    SmtpSink,
    add_supplier,
    complete_filling,
    free_port,
    make_campaign,
    workbook,
)
from temporalio.exceptions import ApplicationError
from temporalio.runtime import MetricBuffer, Runtime, TelemetryConfig
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from worker_kit import address, eventually, sent_kinds, start_survey, worker_settings

from activities import EmailActivities, LinkSigner, SmtpConfig
from activities.filestore import store_upload
from activities.metrics import EMAIL_FAILURES, EMAILS_SENT, FINDINGS, UPLOADS_CHECKED
from models.corrective import CorrectiveAction
from models.enums import EmailKind, Stage
from models.files import StoredFile
from models.messages import Cadence, EmailRequest
from models.outbox import EmailMessage
from models.survey import Finding, Survey
from worker.client import connect, metrics_runtime
from worker.main import build_workers, run_workers
from workflows import SurveyWorkflow

SERIES = re.compile(r"^(\w+)\{(.*)\} (\S+)$")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
Scrape = dict[str, list[tuple[dict[str, str], float]]]


def scrape(port: int) -> Scrape:
    """Every labelled series of the endpoint, by metric name."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    found: Scrape = {}
    for line in text.splitlines():
        match = SERIES.match(line)
        if match:
            labels = dict(LABEL.findall(match.group(2)))
            found.setdefault(match.group(1), []).append((labels, float(match.group(3))))
    return found


def totals(found: Scrape, name: str, label: str) -> dict[str, int]:
    """A counter's value summed by one label."""
    summed: Counter[str] = Counter()
    for labels, value in found.get(name, []):
        summed[labels[label]] += int(value)
    return dict(summed)


def database_counts(sessions: sessionmaker[Session]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """What the database recorded: emails sent by kind, files checked by status, findings by code."""
    with sessions() as session:
        sent = Counter(session.scalars(select(EmailMessage.kind).where(EmailMessage.sent_at.is_not(None))))
        checked = Counter(session.scalars(select(StoredFile.check_status)))
        codes = Counter(session.scalars(select(Finding.code)))
    return dict(sent), dict(checked), dict(codes)


async def test_worker_metrics_count_emails_checks_and_findings(
    temporal: WorkflowEnvironment,
    tmp_path: Path,
    database_url: str,
    sessions: sessionmaker[Session],
    smtp: SmtpSink,
) -> None:
    port = free_port()
    settings = worker_settings(
        tmp_path, address(temporal), database_url, smtp.port, metrics_bind=f"127.0.0.1:{port}"
    )
    client = await connect(settings, runtime=metrics_runtime(settings))
    stop = asyncio.Event()
    running = asyncio.create_task(run_workers(build_workers(client, settings, sessions), stop))
    try:
        survey = await start_survey(temporal, settings, sessions, "M1")
        assert await eventually(lambda: sent_kinds(sessions), bool) == ["request"]
        with sessions() as session:
            survey_id = session.scalar(select(Survey.id).where(Survey.workflow_id == survey))
        assert survey_id is not None
        filling = complete_filling(dt.date.today())
        filling.answers["Q3"]["Tin"] = "Yes"  # tin from the covered countries: findings
        upload = store_upload(
            sessions, Path(settings.file_store_dir), survey_id, io.BytesIO(workbook(filling)), "cmrt.xlsx",
            max_bytes=settings.max_upload_bytes,
        )  # fmt: skip
        handle = temporal.client.get_workflow_handle_for(SurveyWorkflow.run, survey)
        outcome = await handle.execute_update(SurveyWorkflow.submit_upload, upload)
        assert outcome.stage == Stage.RISK_FOUND
        with sessions() as session:
            actions = session.scalar(select(func.count()).select_from(CorrectiveAction))
        assert actions  # each action sends its notice from its own workflow
        # The verdict never waits on email: the risk notice and the action notices arrive in any order.
        kinds = await eventually(
            lambda: sent_kinds(sessions),
            lambda k: k.count(EmailKind.ACTION_REQUEST.value) == actions and EmailKind.RISK_FOUND.value in k,
        )
        sent, checked, codes = database_counts(sessions)
        assert sent == Counter(kinds) and sent.get(EmailKind.RISK_FOUND.value) == 1
        assert checked == {"complete": 1} and sum(codes.values()) > 0
        found = await eventually(
            lambda: asyncio.to_thread(scrape, port), lambda f: totals(f, EMAILS_SENT, "kind") == sent
        )
    finally:
        stop.set()
        await running
    assert totals(found, EMAILS_SENT, "kind") == sent
    assert totals(found, UPLOADS_CHECKED, "status") == checked
    assert totals(found, FINDINGS, "code") == codes
    assert EMAIL_FAILURES not in found
    # The Temporal runtime's own metrics share the endpoint: email ran on its queue, checks on the main one.
    executed = {
        (labels["activity_type"], labels["task_queue"])
        for labels, _ in found["temporal_activity_execution_latency_count"]
    }
    assert ("send_email", f"{settings.task_queue}-email") in executed
    assert ("check_upload", settings.task_queue) in executed
    assert ("send_email", settings.task_queue) not in executed


async def test_a_failed_send_is_counted(sessions: sessionmaker[Session]) -> None:
    due = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    add_supplier(sessions, "F1")
    make_campaign(sessions, "c-F1", ["F1"], due, Cadence())
    with sessions() as session:
        survey_id = session.scalar(select(Survey.id))
    assert survey_id is not None
    buffer = MetricBuffer(100)
    env = ActivityEnvironment()
    env.metric_meter = Runtime(telemetry=TelemetryConfig(metrics=buffer)).metric_meter
    relay = SmtpConfig("127.0.0.1", free_port(), "m@company.test", timeout=5)  # nobody listens
    request = EmailRequest(
        survey_id=survey_id, key="survey-c-F1-F1/r0/request", kind=EmailKind.REQUEST, due_at=due
    )
    with pytest.raises(ApplicationError, match="Connect"):  # retryable: the relay is down
        await env.run(EmailActivities(sessions, relay, LinkSigner(SECRET, BASE_URL)).send_email, request)
    updates = [(u.metric.name, u.attributes.get("kind"), u.value) for u in buffer.retrieve_updates()]
    assert updates == [(EMAIL_FAILURES, "request", 1)]
