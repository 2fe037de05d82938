"""The registry schedule: what it runs (import the newest list at a path, once per file, then refresh) under
time-skipping, and the Temporal Schedule itself (create, list, trigger, pause, delete) on the dev server,
since the time-skipping server has no schedules."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from refresh_kit import status_list
from sqlalchemy import func, select
from survey_kit import Kit, until

from cases.schedule import REGISTRY_SCHEDULE, pause, schedules, set_registry_schedule
from models.refresh import RegistryRefresh
from models.refresh_messages import ImportNewest
from models.registry import RegistryImport
from workflows import RegistryImportWorkflow


async def listing(kit: Kit, count: int) -> bool:
    return len(await schedules(kit.client)) == count


def imports(kit: Kit) -> int:
    with kit.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(RegistryImport)) or 0)


async def test_the_scheduled_run_imports_the_newest_list_once_then_refreshes(
    kit: Kit, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    first = status_list(folder, "rmi-1.csv", {"CID000001": "Conformant"})
    os.utime(first, (1_000_000, 1_000_000))
    (folder / "notes.txt").write_text("not a list")
    async with kit.worker():

        async def scheduled(n: int) -> object:
            workflow_id = f"registry-import-run-{n}"
            kit.tracked.append(workflow_id)
            return await kit.client.execute_workflow(
                RegistryImportWorkflow.run,
                ImportNewest(path=str(folder)),
                id=workflow_id,
                task_queue=kit.task_queue,
            )

        done = await scheduled(1)
        assert done.file_name == "rmi-1.csv" and done.refresh_workflow_id  # type: ignore[attr-defined]
        again = await scheduled(2)  # the same file the next week: nothing is imported
        assert again.import_id is None and "imported already" in again.note  # type: ignore[attr-defined]
        status_list(folder, "rmi-2.csv", {"CID000001": "Non Conformant"})  # newer: taken next time
        third = await scheduled(3)
        assert third.file_name == "rmi-2.csv"  # type: ignore[attr-defined]
        empty = await kit.client.execute_workflow(
            RegistryImportWorkflow.run,
            ImportNewest(path=str(tmp_path / "none")),
            id="run-4",
            task_queue=kit.task_queue,
        )
        assert empty.import_id is None and "no RMI list" in empty.note
    assert imports(kit) == 2
    with kit.sessions() as session:
        refreshed = session.scalars(select(RegistryRefresh.import_id).order_by(RegistryRefresh.id)).all()
    assert len(refreshed) == 2  # each new list refreshed the cases (a child of the scheduled run)


async def test_the_schedule_is_created_listed_triggered_paused_and_deleted(
    dev_kit: Kit, tmp_path: Path
) -> None:
    kit = dev_kit
    status_list(tmp_path / "drop", "rmi.csv", {"CID000001": "Conformant"})
    async with kit.worker():
        assert await set_registry_schedule(
            kit.client, str(tmp_path / "drop"), dt.timedelta(days=7), kit.task_queue
        )
        assert not await set_registry_schedule(
            kit.client, str(tmp_path / "drop"), dt.timedelta(days=1), kit.task_queue
        )
        await until(lambda: listing(kit, 1), "the schedule listed")  # the list is eventually consistent
        (listed,) = await schedules(kit.client)
        assert (listed["id"], listed["paused"], listed["every"]) == (
            REGISTRY_SCHEDULE,
            False,
            ["1 day, 0:00:00"],
        )
        await kit.client.get_schedule_handle(REGISTRY_SCHEDULE).trigger()  # as the interval would
        await until(lambda: imports(kit) == 1, "the scheduled import")
        await pause(kit.client, REGISTRY_SCHEDULE, "list source moved")
        (paused,) = await schedules(kit.client)
        assert paused["paused"] and paused["note"] == "list source moved" and paused["runs"] == 1
        await kit.client.get_schedule_handle(REGISTRY_SCHEDULE).delete()
        await until(lambda: listing(kit, 0), "the schedule gone")
