"""`minerals schedule`: Temporal Schedules, such as the registry import of the newest RMI list."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.context import DataDir, Json, fail, hint, out, run, settings_for

if TYPE_CHECKING:
    from models.settings import Settings

app = typer.Typer(
    help="Schedules: import the newest RMI list from a folder on a cadence.", no_args_is_help=True
)
ScheduleId = Annotated[str, typer.Argument(help="The schedule's id (see `minerals schedule list`).")]


@app.command("registry")
def registry(
    path: Annotated[
        Path, typer.Option("--path", help="An RMI list file, or a folder where new lists are placed.")
    ],
    every: Annotated[str, typer.Option("--every", help="How often, e.g. 7d, 24h.")] = "7d",
    data_dir: DataDir = None,
) -> None:
    """Import the newest list at PATH every so often (a file imported before is a no-op), then refresh."""
    from cases.schedule import REGISTRY_SCHEDULE, set_registry_schedule
    from models.settings import parse_duration
    from worker.client import connect

    if not path.exists():
        fail(f"{path} does not exist; give a list file or the folder new lists are placed in", 2)
    try:
        interval = parse_duration(every)
    except ValueError as exc:
        fail(f"--every {every!r}: {exc}", 2)
    settings = settings_for(data_dir)

    async def go() -> bool:
        client = await connect(settings)
        return await set_registry_schedule(client, str(path.resolve()), interval, settings.task_queue)

    created = run(go(), settings)
    word = "created" if created else "updated"
    out.print(
        f"schedule {REGISTRY_SCHEDULE} {word}: the newest list at {path.resolve()} every {every}",
        highlight=False,
    )


@app.command("list")
def list_(as_json: Json = False, data_dir: DataDir = None) -> None:
    """Every schedule: paused or not, its note, next run, runs so far."""
    from cases.schedule import schedules
    from cli.tables import wrapping_table
    from worker.client import connect

    settings = settings_for(data_dir)

    async def go() -> list[dict[str, Any]]:
        return await schedules(await connect(settings))

    rows = run(go(), settings)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = wrapping_table("id", "paused", "every", "next", "runs", "note")
    for r in rows:
        table.add_row(
            str(r["id"]),
            "yes" if r["paused"] else "no",
            ", ".join(r["every"]),
            ", ".join(r["next"]),
            str(r["runs"]),
            str(r["note"]),
        )
    out.print(table if rows else "no schedule")


@app.command("pause")
def pause(
    schedule_id: ScheduleId,
    note: Annotated[str, typer.Option(help="Why.")] = "paused",
    data_dir: DataDir = None,
) -> None:
    """Pause a schedule."""
    _pause(schedule_id, note, True, data_dir)


@app.command("resume")
def resume(
    schedule_id: ScheduleId,
    note: Annotated[str, typer.Option(help="Why.")] = "resumed",
    data_dir: DataDir = None,
) -> None:
    """Resume a paused schedule."""
    _pause(schedule_id, note, False, data_dir)


@app.command("delete")
def delete(schedule_id: ScheduleId, data_dir: DataDir = None) -> None:
    """Delete a schedule."""
    from cases import schedule
    from worker.client import connect

    settings = settings_for(data_dir)

    async def go() -> None:
        await schedule.delete(await connect(settings), schedule_id)

    _run_on_schedule(go, settings, schedule_id)
    out.print(f"schedule {schedule_id} deleted", highlight=False)


def _pause(schedule_id: str, note: str, paused: bool, data_dir: str | None) -> None:
    from cases import schedule
    from worker.client import connect

    settings = settings_for(data_dir)

    async def go() -> None:
        await schedule.pause(await connect(settings), schedule_id, note, paused)

    _run_on_schedule(go, settings, schedule_id)
    out.print(f"schedule {schedule_id} {'paused' if paused else 'resumed'}", highlight=False)


def _run_on_schedule(
    go: Callable[[], Coroutine[Any, Any, None]], settings: Settings, schedule_id: str
) -> None:
    from temporalio.service import RPCError, RPCStatusCode

    try:
        run(go(), settings)
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            fail(f"no schedule {schedule_id}; see `{hint(settings, 'minerals schedule list')}`")
        raise
