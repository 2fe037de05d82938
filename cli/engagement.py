"""`minerals outreach`: each non-conformant smelter's outreach workflow (letter, follow-ups, notes, close),
and `minerals smelters contacts import`: whom to write to at each smelter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.context import By, DataDir, Json, acting, err, fail, hint, out, run, sessions, settings_for

if TYPE_CHECKING:
    from models.settings import Settings

app = typer.Typer(help="Smelter outreach: RMAP letters, follow-ups, notes, outcomes.", no_args_is_help=True)
contacts = typer.Typer(help="Smelter contacts: whom outreach letters go to.", no_args_is_help=True)
Cid = Annotated[str, typer.Argument(help="The facility's RMI id (CID).")]


async def _signal(settings: Settings, smelter_id: str, signal: str, arg: Any = None) -> bool:
    """Signal a facility's outreach workflow; False when it is not running."""
    from temporalio.service import RPCError, RPCStatusCode

    from worker.client import connect

    client = await connect(settings)
    handle = client.get_workflow_handle(f"outreach-{smelter_id}")
    try:
        await (handle.signal(signal) if arg is None else handle.signal(signal, arg))
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


@app.command("list")
def list_(
    include_closed: Annotated[bool, typer.Option("--all", help="Include closed outreach.")] = False,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Every facility's outreach: those that need a contact first, then open, then closed (with --all)."""
    from rich.text import Text

    from cases.outreach import outreach_rows
    from cli.tables import wrapping_table

    with sessions(settings_for(data_dir))() as session:
        rows = outreach_rows(session, include_closed)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = wrapping_table("smelter", "name", "state", "letters", "contact", "outcome")
    for r in rows:
        cells = (
            r["smelter_id"],
            r["name"],
            r["state"],
            str(r["letters"]),
            r["contact"] or "",
            r["outcome"] or "",
        )
        table.add_row(*(Text(c) for c in cells))
    out.print(table if rows else "no outreach yet")


@app.command("show")
def show(smelter_id: Cid, as_json: Json = False, data_dir: DataDir = None) -> None:
    """One facility's outreach: state, contact, timeline and letters sent."""
    from cases.outreach import outreach_detail

    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        detail = outreach_detail(session, smelter_id.upper())
    if detail is None:
        fail(f"no outreach to {smelter_id}; see `{hint(settings, 'minerals outreach list')}`")
    if as_json:
        typer.echo(json.dumps(detail, indent=2, ensure_ascii=False))
        return
    out.print(
        f"{detail['smelter_id']} {detail['name']}: {detail['state']}, {detail['letters']} letter(s), "
        f"contact {detail['contact'] or 'none'}, outcome {detail['outcome'] or '-'}",
        highlight=False,
        markup=False,
    )
    for e in detail["timeline"]:
        out.print(f"  {e['at'][:16]} {e['event']} {e.get('note', '')}", highlight=False, markup=False)


@app.command("start")
def start(
    smelter_id: Cid,
    reason: Annotated[str, typer.Option(help="Why.")] = "",
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Start a facility's outreach by hand (a running one is kept)."""
    from temporalio.common import WorkflowIDConflictPolicy

    from models.refresh_messages import OutreachInput
    from risk.registry import CID
    from worker.client import connect

    cid = smelter_id.strip().upper()
    if not CID.match(cid):
        fail(f"{smelter_id} is not an RMI facility id (CID and six digits)", 2)
    settings = settings_for(data_dir)

    async def go() -> None:
        client = await connect(settings)
        await client.start_workflow(
            "OutreachWorkflow",
            OutreachInput(
                smelter_id=cid,
                reason=reason,
                started_by=acting(by),
                email_queue=settings.resolved_email_task_queue(),
            ),
            id=f"outreach-{cid}",
            task_queue=settings.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )

    run(go(), settings)
    out.print(f"outreach to {cid} started", highlight=False)


@app.command("note")
def note(
    smelter_id: Cid,
    text: Annotated[str, typer.Argument(help="What was said or done.")],
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Add a staff note to a facility's outreach."""
    _note(smelter_id, text, None, by, data_dir)


@app.command("close")
def close(
    smelter_id: Cid,
    outcome: Annotated[str, typer.Option(help="joined-rmap, declined, no-longer-used, conformant, ...")],
    text: Annotated[str, typer.Option("--note", help="Why.")] = "",
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Close a facility's outreach with its outcome."""
    if not outcome.strip():
        fail("--outcome must say how the outreach ended", 2)
    _note(smelter_id, text, outcome.strip(), by, data_dir)


def _note(smelter_id: str, text: str, outcome: str | None, by: str, data_dir: str | None) -> None:
    from models.refresh_messages import OutreachNote

    if outcome is None and not text.strip():
        fail("a note needs a text", 2)
    settings = settings_for(data_dir)
    cid = smelter_id.strip().upper()
    message = OutreachNote(actor=acting(by), text=text, outcome=outcome)
    if not run(_signal(settings, cid, "note", message), settings):
        fail(f"no running outreach to {cid}; see `{hint(settings, 'minerals outreach list --all')}`")
    out.print(
        f"outreach to {cid}: {'closing as ' + outcome if outcome else 'note'} sent",
        highlight=False,
        markup=False,
    )


@contacts.command("import")
def import_contacts(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV: CID, name, email, language"),
    ],
    data_dir: DataDir = None,
) -> None:
    """Import smelter contacts; outreach waiting for a contact sends its letter."""
    from cases.outreach import import_contacts as store

    settings = settings_for(data_dir)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{file.name} cannot be read as UTF-8 CSV: {exc}")
    with sessions(settings).begin() as session:
        try:
            stored, problems = store(session, text)
        except ValueError as exc:
            fail(f"{file.name}: {exc}; nothing was imported")
    for problem in problems:
        err.print(f"{file.name}: {problem}", highlight=False, markup=False)
    out.print(f"{len(stored)} contact(s) imported, {len(problems)} refused", highlight=False)
    try:
        woken = sum(run(_signal(settings, cid, "contact_added"), settings) for cid in stored)
    except typer.Exit:
        err.print("Temporal is not reachable: waiting outreach will take the contacts when signalled again")
        return
    if woken:
        out.print(f"{woken} running outreach told of their new contact", highlight=False)
