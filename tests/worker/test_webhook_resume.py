"""A worker starts the webhook dispatcher when a webhook is active (a Temporal reset loses it)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import SmtpSink
from temporalio.client import WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment
from worker_kit import address, eventually, worker_settings

from cases.webhooks import add_webhook
from models.settings import Settings
from worker.main import resume_webhooks, serve
from workflows.webhook import DISPATCH_ID


async def dispatcher_status(env: WorkflowEnvironment) -> WorkflowExecutionStatus | None:
    """The dispatcher workflow's status, None when there is none."""
    try:
        return (await env.client.get_workflow_handle(DISPATCH_ID).describe()).status
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return None
        raise


@pytest.fixture
def settings(temporal: WorkflowEnvironment, tmp_path: Path, database_url: str, smtp: SmtpSink) -> Settings:
    """A worker's settings on the dev server, the test database and the SMTP sink."""
    return worker_settings(tmp_path, address(temporal), database_url, smtp.port)


async def test_a_worker_starts_the_webhook_dispatcher_once_a_webhook_is_active(
    temporal: WorkflowEnvironment, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    await resume_webhooks(temporal.client, settings, sessions)
    assert await dispatcher_status(temporal) is None  # no webhook: no workflow polling the audit trail

    add_webhook(sessions, "http://127.0.0.1:9/hook", ["case.stage_changed"], actor="admin@company.test")
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, "workflows", stop))
    try:
        status = await eventually(lambda: dispatcher_status(temporal), lambda s: s is not None, timeout=30)
        assert status == WorkflowExecutionStatus.RUNNING
    finally:
        stop.set()
        await running


async def test_a_worker_runs_when_temporal_refuses_the_dispatcher(
    temporal: WorkflowEnvironment,
    settings: Settings,
    sessions: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    add_webhook(sessions, "http://127.0.0.1:9/hook", ["case.stage_changed"], actor="admin@company.test")
    refused = replace(settings, task_queue="")  # an empty task queue is refused by the server
    await resume_webhooks(temporal.client, refused, sessions)  # an empty task queue is refused
    assert "the webhook dispatcher was not started" in caplog.text
    assert await dispatcher_status(temporal) is None
