"""Runs whose workflow task keeps failing or timing out: a case that no worker moves on any more."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from temporalio.client import Client

CONCURRENT = 20  # describe calls in flight while scanning
FIRST_ATTEMPTS = 3  # a task on its third attempt has failed or timed out twice: no longer a blip


@dataclass(frozen=True)
class StalledRun:
    """One running workflow whose pending workflow task is on a repeated attempt."""

    workflow_id: str
    workflow_type: str
    attempts: int
    state: str  # scheduled: no worker took it; started: a worker took it and did not finish it
    since: dt.datetime | None  # when its first attempt was scheduled

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready fields."""
        row = asdict(self)
        row["since"] = self.since.isoformat() if self.since else None
        return row


async def stalled_runs(
    client: Client, task_queue: str, min_attempts: int = FIRST_ATTEMPTS
) -> list[StalledRun]:
    """The running workflows of `task_queue` whose workflow task is on attempt `min_attempts` or later."""
    query = f"ExecutionStatus = 'Running' AND TaskQueue = '{task_queue}'"
    running = [(w.id, w.run_id, w.workflow_type) async for w in client.list_workflows(query)]
    slots = asyncio.Semaphore(CONCURRENT)

    async def look(workflow_id: str, run_id: str | None, kind: str) -> StalledRun | None:
        async with slots:
            raw = (await client.get_workflow_handle(workflow_id, run_id=run_id).describe()).raw_description
        if not raw.HasField("pending_workflow_task") or raw.pending_workflow_task.attempt < min_attempts:
            return None
        task = raw.pending_workflow_task
        first = task.original_scheduled_time if task.HasField("original_scheduled_time") else None
        state = "started" if task.HasField("started_time") and task.started_time.seconds else "scheduled"
        since = first.ToDatetime(dt.UTC) if first is not None and first.seconds else None
        return StalledRun(workflow_id, kind, task.attempt, state, since)

    found = await asyncio.gather(*(look(*w) for w in running))
    return sorted((s for s in found if s is not None), key=lambda s: (-s.attempts, s.workflow_id))
