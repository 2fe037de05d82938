"""Two workers on one client: email waits for the email worker; the scale settings reach each worker."""

from __future__ import annotations

import asyncio
import datetime as dt
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import SmtpSink, add_supplier, make_campaign
from temporalio.testing import WorkflowEnvironment
from worker_kit import (
    QUIET,
    address,
    eventually,
    pending_activities,
    sent_kinds,
    start_survey,
    worker_settings,
)

from models.enums import ActivityName
from models.messages import SurveyInput
from models.refresh_messages import RefreshActivity
from models.settings import SettingsError
from models.survey import Survey
from worker.main import activity_name, build_workers, check_queues, run_workers, scale
from workflows import SurveyWorkflow

SEND = ActivityName.SEND_EMAIL.value
OUTREACH, DIGESTS = RefreshActivity.OUTREACH_STEP.value, RefreshActivity.SEND_DIGESTS.value


async def test_email_waits_on_its_own_queue_until_an_email_worker_runs(
    temporal: WorkflowEnvironment,
    tmp_path: Path,
    database_url: str,
    sessions: sessionmaker[Session],
    smtp: SmtpSink,
) -> None:
    settings = worker_settings(tmp_path, address(temporal), database_url, smtp.port)
    workflows_only = build_workers(temporal.client, settings, sessions, queues="workflows")
    email_only = build_workers(temporal.client, settings, sessions, queues="email")
    assert [w.task_queue for w in workflows_only] == [settings.task_queue]
    assert [w.task_queue for w in email_only] == [f"{settings.task_queue}-email"]
    stop = asyncio.Event()
    running = [asyncio.create_task(run_workers(workflows_only, stop))]
    try:
        survey = await start_survey(temporal, settings, sessions, "Q1")
        # The step is recorded first (record_transition), then its email is scheduled beside the case.
        pending = await eventually(
            lambda: pending_activities(temporal, survey), lambda p: bool(p) and p[0][0] == SEND
        )
        # The request email is scheduled, but no worker of its queue polls: never tried, never sent.
        assert pending == [(SEND, 1, False)]
        assert smtp.messages == [] and await sent_kinds(sessions) == []
        running.append(asyncio.create_task(run_workers(email_only, stop)))
        assert await eventually(lambda: sent_kinds(sessions), bool) == ["request"]
        assert smtp.kinds() == ["request"]
        assert await eventually(lambda: pending_activities(temporal, survey), lambda p: p == []) == []
    finally:
        stop.set()
        await asyncio.gather(*running)


async def test_scale_settings_reach_each_worker(
    temporal: WorkflowEnvironment, tmp_path: Path, database_url: str, sessions: sessionmaker[Session]
) -> None:
    settings = worker_settings(
        tmp_path,
        address(temporal),
        database_url,
        1025,
        email_task_queue="outbound-mail",
        email_per_second=0.5,
        max_concurrent_email=3,
        max_concurrent_activities=7,
        max_concurrent_workflow_tasks=9,
        max_cached_workflows=5000,
        graceful_shutdown="45s",
    )
    main, email = (w.config() for w in build_workers(temporal.client, settings, sessions))
    assert (main["task_queue"], email["task_queue"]) == (settings.task_queue, "outbound-mail")
    assert email.get("max_task_queue_activities_per_second") == 0.5  # the server-side rate limit
    assert main.get("max_task_queue_activities_per_second") is None
    assert (main.get("max_concurrent_activities"), email.get("max_concurrent_activities")) == (7, 3)
    assert main.get("max_concurrent_workflow_tasks") == 9
    assert main.get("max_cached_workflows") == 5000
    assert (
        main.get("graceful_shutdown_timeout")
        == email.get("graceful_shutdown_timeout")
        == timedelta(seconds=45)
    )
    email_names = [activity_name(a) for a in email.get("activities", [])]
    main_names = {activity_name(a) for a in main.get("activities", [])}
    # Case email, outreach letters and refresh digests: everything that sends goes through the rate limit.
    assert (
        sorted(email_names) == sorted([SEND, OUTREACH, DIGESTS])
        and ActivityName.CHECK_UPLOAD.value in main_names
    )
    assert {
        SEND,
        OUTREACH,
        DIGESTS,
    } <= main_names  # for runs started before the email queue (see the next test)
    assert not email.get("workflows") and main.get("workflows")


async def test_a_run_started_before_the_email_queue_still_sends_from_the_main_queue(
    temporal: WorkflowEnvironment,
    tmp_path: Path,
    database_url: str,
    sessions: sessionmaker[Session],
    smtp: SmtpSink,
) -> None:
    settings = worker_settings(tmp_path, address(temporal), database_url, smtp.port)
    add_supplier(sessions, "L1")
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    make_campaign(sessions, "c-L1", ["L1"], due, QUIET)
    with sessions() as session:
        survey = session.scalars(select(Survey)).one()
    old = SurveyInput(  # as the previous release started it: no email queue in the input
        survey_id=survey.id, campaign="c-L1", supplier_id="L1", due_at=due, cadence=QUIET
    )
    assert old.email_queue is None
    stop = asyncio.Event()
    running = asyncio.create_task(
        run_workers(build_workers(temporal.client, settings, sessions, queues="workflows"), stop)
    )
    try:
        await temporal.client.start_workflow(
            SurveyWorkflow.run, old, id=survey.workflow_id, task_queue=settings.task_queue
        )
        assert await eventually(lambda: sent_kinds(sessions), bool) == ["request"]
    finally:
        stop.set()
        await running


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email_per_second": 0.0}, "MINERALS_EMAIL_PER_SECOND must be above 0"),
        ({"graceful_shutdown": "soon"}, "MINERALS_GRACEFUL_SHUTDOWN"),
        ({"max_concurrent_email": 0}, "MINERALS_MAX_CONCURRENT_EMAIL must be at least 1"),
        ({"max_cached_workflows": 0}, "MINERALS_MAX_CACHED_WORKFLOWS must be at least 1"),
        ({"email_task_queue": "tq-x"}, "must differ from MINERALS_TASK_QUEUE"),
    ],
)
def test_bad_scale_settings_are_named(tmp_path: Path, change: dict[str, object], message: str) -> None:
    settings = worker_settings(tmp_path, "127.0.0.1:7233", "", 1025, task_queue="tq-x", **change)
    with pytest.raises(SettingsError, match=message):
        scale(settings)


def test_queue_names() -> None:
    assert [check_queues(q) for q in ("all", "Workflows", " email ")] == ["all", "workflows", "email"]
    with pytest.raises(SettingsError, match="--queues must be one of all, workflows, email"):
        check_queues("mail")
