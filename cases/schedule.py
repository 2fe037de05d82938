"""The registry schedule: a Temporal Schedule that imports the newest RMI list placed at a path, visible
(and pausable) in the Temporal UI as in the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError, RPCStatusCode

from models.refresh_messages import ImportNewest

REGISTRY_SCHEDULE = "registry-import"
IMPORT_WORKFLOW = "RegistryImportWorkflow"


def _schedule(path: str, every: dt.timedelta, task_queue: str) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            IMPORT_WORKFLOW, ImportNewest(path=path), id=f"{REGISTRY_SCHEDULE}-run", task_queue=task_queue
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
        state=ScheduleState(note=f"imports the newest RMI list at {path} every {every}"),
    )


async def set_registry_schedule(client: Client, path: str, every: dt.timedelta, task_queue: str) -> bool:
    """Create the schedule, or change its path and interval; returns True when it was created."""
    wanted = _schedule(path, every, task_queue)
    try:
        await client.create_schedule(REGISTRY_SCHEDULE, wanted)
        return True
    except ScheduleAlreadyRunningError:

        def change(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=wanted)

        await client.get_schedule_handle(REGISTRY_SCHEDULE).update(change)
        return False


async def schedules(client: Client) -> list[dict[str, Any]]:
    """Every schedule of the namespace: id, paused, note, next and recent runs."""
    found = []
    async for listed in await client.list_schedules():
        try:
            described = await client.get_schedule_handle(listed.id).describe()
        except RPCError as exc:  # the list is eventually consistent: a schedule just deleted
            if exc.status == RPCStatusCode.NOT_FOUND:
                continue
            raise
        info, state = described.info, described.schedule.state
        found.append(
            {
                "id": listed.id,
                "paused": state.paused,
                "note": state.note or "",
                "every": [str(i.every) for i in described.schedule.spec.intervals],
                "next": [t.isoformat() for t in info.next_action_times[:1]],
                "runs": info.num_actions,
                "recent": [a.started_at.isoformat() for a in info.recent_actions[-3:]],
            }
        )
    return found


async def pause(client: Client, schedule_id: str, note: str, paused: bool = True) -> None:
    """Pause (or resume) a schedule with a note for the Temporal UI."""
    handle = client.get_schedule_handle(schedule_id)
    await (handle.pause(note=note) if paused else handle.unpause(note=note))


async def delete(client: Client, schedule_id: str) -> None:
    """Delete a schedule (its past runs stay in Temporal's history)."""
    await client.get_schedule_handle(schedule_id).delete()
