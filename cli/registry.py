"""`minerals registry`: refreshes after RMI status-list imports, each one's changes and cases."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.context import DataDir, Json, err, fail, hint, out, run, sessions, settings_for

if TYPE_CHECKING:
    from models.registry import RegistryImport
    from models.settings import Settings

app = typer.Typer(
    help="Registry refreshes: judge cases again after each RMI status list.", no_args_is_help=True
)


async def _start(settings: Settings, record: RegistryImport, timeout: float = 10.0) -> str:
    import datetime as dt

    from cases.refresh import start_refresh
    from worker.client import connect

    client = await connect(settings, timeout=dt.timedelta(seconds=timeout))
    return await start_refresh(client, settings.task_queue, settings.resolved_email_task_queue(), record)


def start_after_import(settings: Settings, record: RegistryImport) -> None:
    """Start the refresh of a status list just imported; say how to start it later when Temporal is down."""
    import asyncio

    if record.kind != "status-list":
        return
    try:
        workflow_id = asyncio.run(_start(settings, record, timeout=3.0))
    except (RuntimeError, OSError) as exc:
        err.print(
            f"the refresh of cases was not started ({str(exc).splitlines()[0]}); run "
            f"`{hint(settings, 'minerals registry refresh ' + str(record.id))}` once the stack runs",
            highlight=False,
            markup=False,
        )
        return
    out.print(f"registry refresh {workflow_id} started: cases naming a changed facility are judged again")


@app.command("refresh")
def refresh(
    import_id: Annotated[
        int | None, typer.Argument(help="Import id (default: the newest status list).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Judge again the cases a status-list import concerns (running it twice changes nothing)."""
    from sqlalchemy import select

    from models.registry import RegistryImport

    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        if import_id is None:
            query = select(RegistryImport).where(RegistryImport.kind == "status-list")
            record = session.scalars(query.order_by(RegistryImport.id.desc())).first()
        else:
            record = session.get(RegistryImport, import_id)
    if record is None:
        fail(f"no such status-list import; see `{hint(settings, 'minerals smelters history')}`")
    if record.kind != "status-list":
        fail(f"import {record.id} is a {record.kind}, not a status list: it changes no status")
    workflow_id = run(_start(settings, record), settings)
    out.print(f"registry refresh {workflow_id} started", highlight=False, markup=False)


@app.command("list")
def list_(as_json: Json = False, data_dir: DataDir = None) -> None:
    """The refreshes, newest first: list date, facilities changed, cases examined and changed."""
    from rich.text import Text

    from cases.refresh import refresh_rows
    from cli.tables import wrapping_table

    with sessions(settings_for(data_dir))() as session:
        rows = refresh_rows(session)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = wrapping_table("id", "list", "as of", "facilities", "examined", "changed", "finished")
    for r in rows:
        table.add_row(
            str(r["id"]),
            Text(r["file_name"]),
            r["as_of"],
            str(r["facilities"]),
            str(r["cases_examined"]),
            str(r["cases_changed"]),
            (r["finished_at"] or "running")[:19],
        )
    out.print(table)


@app.command("show")
def show(refresh_id: int, as_json: Json = False, data_dir: DataDir = None) -> None:
    """One refresh: facilities that changed, cases it changed, actions opened and closed."""
    from cases.refresh import refresh_detail

    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        detail = refresh_detail(session, refresh_id)
    if detail is None:
        fail(f"no registry refresh {refresh_id}; see `{hint(settings, 'minerals registry list')}`")
    if as_json:
        typer.echo(json.dumps(detail, indent=2, ensure_ascii=False))
        return
    _print(detail)


def _print(detail: dict[str, Any]) -> None:
    out.print(
        f"Refresh {detail['id']} of {detail['file_name']} (as of {detail['as_of']}): "
        f"{detail['cases_changed']} of {detail['cases_examined']} case(s) changed, "
        f"{detail['actions_opened']} action(s) opened, {detail['actions_closed']} resolved",
        highlight=False,
        markup=False,
    )
    for c in detail["changes"]:
        ends = f", audit valid until {c['audit_ends']}" if c.get("audit_ends") else ""
        out.print(
            f"  {c['smelter_id']} {c['name']}: {c['before'] or 'unlisted'} -> {c['after']}{ends}",
            highlight=False,
            markup=False,
        )
    for c in detail["cases"]:
        added = ", ".join(f"{f['code']} {f['smelter_id'] or ''}".strip() for f in c["added"]) or "-"
        risk = f"{c['risk_before']} -> {c['risk_after']} ({c['stage']})"
        out.print(f"  case {c['case']} {c['supplier']}: {risk}; new: {added}", highlight=False, markup=False)
