"""The workers: workflows and most activities on the task queue, email alone on its own rate-limited queue."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities import build_activities
from cases.webhooks import has_webhooks, start_dispatcher
from models.db import make_engine, prepare_schema, session_factory
from models.enums import ActivityName
from models.refresh_messages import RefreshActivity
from models.settings import Settings, SettingsError, parse_duration
from worker.client import connect, metrics_address, worker_runtime
from worker.logs import loggable
from worker.retries import QuietRetries
from workflows import WORKFLOWS

log = logging.getLogger("minerals.worker")
SHUTDOWN_MARGIN = timedelta(seconds=30)  # beyond the activities' grace time, for the SDK to wind down

QUEUES = ("all", "workflows", "email")
# What sends email, so the email worker (rate-limited by the server) runs it; still registered on the main
# queue for runs started before their input named the email queue.
EMAIL_ACTIVITIES = frozenset(
    {ActivityName.SEND_EMAIL.value, RefreshActivity.OUTREACH_STEP.value, RefreshActivity.SEND_DIGESTS.value}
)


def database(settings: Settings, queues: str = "all") -> sessionmaker[Session]:
    """A session factory on the configured database, its tables created if missing."""
    # A connection per activity slot: the blocking work of that many activities runs at once.
    engine = make_engine(settings.resolved_database_url(), pool_size=activity_slots(settings, queues))
    prepare_schema(engine)
    return session_factory(engine)


# Deterministic, side-effect-free modules shared with the sandbox instead of re-imported for every
# workflow run, our own workflow code included: re-building the pydantic messages cost ~0.3 s CPU per
# survey, and re-importing `workflows` and `models` a third of a survey's worker CPU (bench_campaign.py).
# Passed-through code is not checked by the sandbox's restrictions at run time; the workflow tests run
# the same code under the strict default sandbox (and tests/replay over committed histories), so a
# non-deterministic call is still caught before it ships.
PASSTHROUGH = ("pydantic", "pydantic_core", "annotated_types", "models", "workflows")


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox, with the message modules passed through."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
    )


@dataclass(frozen=True)
class Scale:
    """The worker settings, checked: queues, concurrency, email rate and shutdown grace."""

    task_queue: str
    email_queue: str
    activities: int
    workflow_tasks: int
    cached_workflows: int
    email: int
    email_per_second: float
    graceful: timedelta


def scale(settings: Settings) -> Scale:
    """The checked worker settings, or a SettingsError naming the bad variable."""
    try:
        graceful = parse_duration(settings.graceful_shutdown)
    except ValueError:
        shown = settings.graceful_shutdown
        message = f"MINERALS_GRACEFUL_SHUTDOWN must be a duration (30s, 2m), got {shown!r}"
        raise SettingsError(message) from None
    if not settings.email_per_second > 0:
        raise SettingsError(f"MINERALS_EMAIL_PER_SECOND must be above 0, got {settings.email_per_second}")
    for name in (
        "max_concurrent_activities",
        "max_concurrent_workflow_tasks",
        "max_concurrent_email",
        "max_cached_workflows",
        "campaign_in_flight",
    ):
        if getattr(settings, name) < 1:
            raise SettingsError(f"MINERALS_{name.upper()} must be at least 1, got {getattr(settings, name)}")
    email_queue = settings.resolved_email_task_queue()
    if email_queue == settings.task_queue:
        raise SettingsError("MINERALS_EMAIL_TASK_QUEUE must differ from MINERALS_TASK_QUEUE")
    return Scale(
        task_queue=settings.task_queue,
        email_queue=email_queue,
        activities=settings.max_concurrent_activities,
        workflow_tasks=settings.max_concurrent_workflow_tasks,
        cached_workflows=settings.max_cached_workflows,
        email=settings.max_concurrent_email,
        email_per_second=settings.email_per_second,
        graceful=graceful,
    )


def check_queues(queues: str) -> str:
    """`queues` if it is all, workflows or email (any case), else a SettingsError."""
    chosen = queues.strip().lower()
    if chosen not in QUEUES:
        raise SettingsError(f"--queues must be one of {', '.join(QUEUES)}; got {queues!r}")
    return chosen


def activity_name(fn: Callable[..., Any]) -> str:
    """The registered name of an activity function or method."""
    return activity._Definition.must_from_callable(fn).name or ""


def is_email(fn: Callable[..., Any]) -> bool:
    """Whether an activity sends email (and so belongs on the email queue)."""
    return activity_name(fn) in EMAIL_ACTIVITIES


def activity_slots(settings: Settings, queues: str) -> int:
    """How many activities the chosen workers run at once: the size of their blocking-work thread pool."""
    plan, chosen = scale(settings), check_queues(queues)
    return (plan.activities if chosen != "email" else 0) + (plan.email if chosen != "workflows" else 0)


def activity_pool(settings: Settings, queues: str) -> ThreadPoolExecutor:
    """A thread pool with one thread per activity slot (threads start as they are needed)."""
    return ThreadPoolExecutor(activity_slots(settings, queues), thread_name_prefix="minerals-activity")


def main_worker(
    client: Client, settings: Settings, activities: Sequence[Callable[..., Any]], **options: Any
) -> Worker:
    """The workflows and their activities on the task queue.

    New runs send email on the email queue; the email activity stays registered here only for runs
    started before it existed (their input names no email queue), which would otherwise never send.
    """
    plan = scale(settings)
    return Worker(
        client,
        task_queue=plan.task_queue,
        workflows=WORKFLOWS,
        activities=list(activities),
        workflow_runner=workflow_runner(),
        max_concurrent_activities=plan.activities,
        max_concurrent_workflow_tasks=plan.workflow_tasks,
        max_cached_workflows=plan.cached_workflows,
        graceful_shutdown_timeout=plan.graceful,
        **{"interceptors": [QuietRetries()], **options},
    )


def email_worker(
    client: Client, settings: Settings, activities: Sequence[Callable[..., Any]], **options: Any
) -> Worker:
    """The email activities alone on the email queue, rate-limited by the server across all workers."""
    plan = scale(settings)
    return Worker(
        client,
        task_queue=plan.email_queue,
        activities=[fn for fn in activities if is_email(fn)],
        max_concurrent_activities=plan.email,
        max_task_queue_activities_per_second=plan.email_per_second,
        graceful_shutdown_timeout=plan.graceful,
        **{"interceptors": [QuietRetries()], **options},
    )


def build_workers(
    client: Client,
    settings: Settings,
    sessions: sessionmaker[Session] | None = None,
    *,
    queues: str = "all",
    executor: Executor | None = None,
    **options: Any,
) -> list[Worker]:
    """The workers for `queues` (all, workflows or email), sharing one client, activity set and the thread
    pool of their blocking work (`executor`, by default one thread per activity slot)."""
    chosen = check_queues(queues)
    scale(settings)
    executor = executor or activity_pool(settings, chosen)
    options.setdefault("activity_executor", executor)  # kept with the workers: run_workers shuts it down
    activities = build_activities(
        settings, sessions or database(settings, chosen), executor=executor, sends_email=chosen == "all"
    )
    workers = []
    if chosen in ("all", "workflows"):
        workers.append(main_worker(client, settings, activities, **options))
    if chosen in ("all", "email"):
        workers.append(email_worker(client, settings, activities, **options))
    return workers


async def run_workers(workers: Sequence[Worker], stop: asyncio.Event) -> None:
    """Run the workers until `stop` is set or one fails, then shut all down (with the grace time)."""
    tasks = [asyncio.create_task(w.run()) for w in workers]
    stopping = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({stopping, *tasks}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    reason = "stop requested" if stopping in done else "a worker stopped"
    log.info("worker shutting down; running activities may finish", extra={"reason": reason})

    async def finish() -> list[object]:
        await asyncio.gather(*(w.shutdown() for w in workers), return_exceptions=True)
        return await asyncio.gather(*tasks, return_exceptions=True)

    graces = [w.config().get("graceful_shutdown_timeout") or timedelta(0) for w in workers]
    limit = max(graces, default=timedelta(0)) + SHUTDOWN_MARGIN
    try:
        results = await asyncio.wait_for(finish(), limit.total_seconds())
    except TimeoutError:
        # The SDK's shutdown can wait for good on a task it lost; nothing a person waits for may hang.
        log.error("worker shutdown did not finish within %s; stopping without it", limit)
        for task in tasks:
            task.cancel()
        results = []
    for pool in {id(p): p for w in workers if (p := w.config().get("activity_executor"))}.values():
        pool.shutdown(wait=False)  # activities still running after the grace time finish on their own
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        raise RuntimeError(str(failures[0]) or type(failures[0]).__name__) from failures[0]
    log.info("worker stopped")


async def resume_webhooks(client: Client, settings: Settings, sessions: sessionmaker[Session]) -> None:
    """Start the webhook dispatcher when a webhook is active: after a Temporal reset (or a dispatcher
    terminated by hand) the events would otherwise wait in the audit trail for `webhooks test`."""
    try:
        if await asyncio.to_thread(has_webhooks, sessions):
            await start_dispatcher(client, settings.task_queue)
    except Exception as exc:  # noqa: BLE001  (the workers run regardless; the events wait, nothing is lost)
        log.warning("the webhook dispatcher was not started: %s", exc)


async def serve(settings: Settings, queues: str, stop: asyncio.Event) -> None:
    """Connect (with metrics when `metrics_bind` is set) and run the chosen workers until `stop`."""
    plan, chosen = scale(settings), check_queues(queues)
    client = await connect(settings, runtime=worker_runtime(settings))
    sessions = database(settings, chosen)
    workers = build_workers(client, settings, sessions, queues=chosen)
    if chosen != "email":
        await resume_webhooks(client, settings, sessions)
    log.info(
        "worker started",
        extra={
            "queues": chosen,
            "task_queues": [w.task_queue for w in workers],
            "temporal_address": settings.temporal_address,
            "namespace": settings.temporal_namespace,
            "email_per_second": plan.email_per_second,
            "graceful_shutdown_s": plan.graceful.total_seconds(),
            "metrics": metrics_address(settings) or None,
        },
    )
    log.info("settings", extra={"settings": loggable(settings)})
    await run_workers(workers, stop)
