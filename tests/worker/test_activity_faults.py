"""Activities under faults on a real Temporal server: a database locked past an attempt's timeout while an
email is marked sent never sends it twice; a failing activity is logged once a minute, not per attempt;
blocking work runs on a pool with a thread per activity slot, heartbeating while it runs."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity, workflow
from temporalio.common import RetryPolicy
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from temporalio.worker import Worker

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "activities"))

from mail_relay import Relay, running_relay  # noqa: E402
from survey_kit import BASE_URL, SECRET  # noqa: E402
from test_email_once import WriteLock, case, short_lock_wait  # noqa: E402

import activities.blocking  # noqa: E402
from activities import EmailActivities, LinkSigner, SmtpConfig  # noqa: E402
from activities.blocking import Blocking  # noqa: E402
from models.enums import ActivityName, EmailKind  # noqa: E402
from models.messages import EmailRequest  # noqa: E402
from models.outbox import EmailMessage  # noqa: E402
from models.settings import Settings  # noqa: E402
from worker.main import activity_pool, activity_slots  # noqa: E402
from worker.retries import QuietRetries  # noqa: E402

DUE = dt.datetime(2030, 3, 31, tzinfo=dt.UTC)


@pytest.fixture
def relay() -> Iterator[Relay]:
    """The activity tests' relay (refuses chosen addresses, runs a hook on DATA)."""
    yield from running_relay()


@workflow.defn(sandboxed=False)
class SendOnce:
    """Sends one email with a short attempt timeout, retried quickly."""

    @workflow.run
    async def run(self, req: EmailRequest) -> None:
        await workflow.execute_activity(
            ActivityName.SEND_EMAIL,
            req,
            start_to_close_timeout=dt.timedelta(seconds=2),
            retry_policy=RetryPolicy(initial_interval=dt.timedelta(milliseconds=100), backoff_coefficient=1),
        )


async def test_a_lock_longer_than_the_attempt_timeout_while_marking_sent_never_sends_twice(
    temporal: WorkflowEnvironment, sessions: sessionmaker[Session], relay: Relay, database_url: str
) -> None:
    survey_id = case(sessions)
    quick = short_lock_wait(database_url)
    lock = WriteLock(database_url, seconds=5)  # the 2 s attempt times out; its retry must only mark it
    relay.on_data = lock.take
    email = EmailActivities(
        quick, SmtpConfig("127.0.0.1", relay.port, "Minerals <m@company.test>"), LinkSigner(SECRET, BASE_URL)
    )
    queue = f"tq-{uuid.uuid4()}"
    req = EmailRequest(survey_id=survey_id, key="survey-c1-X1/r0/request", kind=EmailKind.REQUEST, due_at=DUE)
    async with Worker(temporal.client, task_queue=queue, workflows=[SendOnce], activities=[email.send_email]):
        handle = await temporal.client.start_workflow(
            SendOnce.run, req, id=f"w-{uuid.uuid4()}", task_queue=queue
        )
        await handle.result()
        history = await handle.fetch_history()
    attempts = [e for e in history.events if e.HasField("activity_task_started_event_attributes")]
    assert attempts[-1].activity_task_started_event_attributes.attempt >= 2  # the lock outlasted one attempt
    assert len(relay.messages) == 1
    with sessions() as session:
        row = session.scalars(select(EmailMessage)).one()
    assert row.sent_at is not None and row.attempts == 1


class Flaky:
    """Fails its first attempts the way a database that is away does."""

    def __init__(self, failures: int) -> None:
        self.left = failures

    @activity.defn(name="flaky")
    async def flaky(self) -> str:
        if self.left:
            self.left -= 1
            raise OSError("connection refused by the database host")
        return "done"


@workflow.defn(sandboxed=False)
class CallFlaky:
    @workflow.run
    async def run(self) -> str:
        return await workflow.execute_activity(
            "flaky",
            start_to_close_timeout=dt.timedelta(seconds=10),
            retry_policy=RetryPolicy(initial_interval=dt.timedelta(milliseconds=10), backoff_coefficient=1),
            result_type=str,
        )


async def test_a_failing_activity_is_logged_once_with_its_traceback_not_once_an_attempt(
    temporal: WorkflowEnvironment, caplog: pytest.LogCaptureFixture
) -> None:
    queue = f"tq-{uuid.uuid4()}"
    worker = Worker(
        temporal.client,
        task_queue=queue,
        workflows=[CallFlaky],
        activities=[Flaky(8).flaky],
        interceptors=[QuietRetries()],
    )
    with caplog.at_level(logging.DEBUG):
        async with worker:
            result = await temporal.client.execute_workflow(
                CallFlaky.run, id=f"w-{uuid.uuid4()}", task_queue=queue
            )
    assert result == "done"
    ours = [r for r in caplog.records if r.name == "minerals.activities"]
    assert len(ours) == 1 and "OSError at flaky" in ours[0].getMessage() and ours[0].exc_info
    sdk = [r for r in caplog.records if r.name == activity.logger.name and r.levelno >= logging.WARNING]
    assert sdk == []  # the SDK's own warning and traceback per attempt are gone


def test_the_pool_has_a_thread_for_each_activity_slot(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path), max_concurrent_activities=9, max_concurrent_email=3)
    assert [activity_slots(settings, q) for q in ("all", "workflows", "email")] == [12, 9, 3]
    blocking = Blocking(activity_pool(settings, "all"))
    barrier = threading.Barrier(12, timeout=20)  # passes only when all twelve run at the same time

    async def together() -> list[int]:
        return await asyncio.gather(*(blocking(barrier.wait) for _ in range(12)))

    assert sorted(asyncio.run(together())) == list(range(12))


async def test_blocking_work_heartbeats_while_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(activities.blocking, "HEARTBEAT_EVERY", 0.05)
    env, beats = ActivityEnvironment(), []
    env.on_heartbeat = lambda *details: beats.append(details)
    done = threading.Event()

    @activity.defn(name="slow")
    async def slow() -> str:
        return await Blocking().heartbeating(lambda: "checked" if done.wait(10) else "timeout")

    threading.Timer(0.5, done.set).start()
    assert await env.run(slow) == "checked"
    assert len(beats) >= 3
