"""`minerals actions`: staff decisions on corrective actions; `minerals smelters outreach` (OECD step 4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from activities.evidence import EvidenceRefused, store_evidence
from activities.filestore import TooLarge
from cli.action_view import action_row, outreach_list
from cli.context import By, DataDir, Json, acting, fail, out, run, sessions, settings_for
from cli.enrol import parse_due
from models.audit import AuditEvent
from models.corrective import CorrectiveAction, SmelterOutreach
from models.enums import Decision
from models.messages import ActionDecision, ActionState
from models.settings import Settings
from worker.client import connect
from workflows import CorrectiveActionWorkflow

app = typer.Typer(help="Corrective actions: staff decisions and evidence.", no_args_is_help=True)

ActionId = Annotated[int, typer.Argument(help="Action number (see `minerals cases show`).", min=1)]


def _action(settings: Settings, action_id: int) -> dict[str, Any]:
    with sessions(settings)() as session:
        action = session.get(CorrectiveAction, action_id)
        if action is None:
            fail(f"no corrective action {action_id}; see `minerals cases show CASE`", 2)
        return action_row(action)


async def _update(settings: Settings, workflow_id: str, update: Any, arg: Any) -> ActionState:
    client = await connect(settings)
    handle = client.get_workflow_handle_for(CorrectiveActionWorkflow.run, workflow_id)
    return await handle.execute_update(update, arg)


def _apply(settings: Settings, action_id: int, update: Any, arg: Any, as_json: bool, done: str) -> None:
    row = _action(settings, action_id)
    if row["status"] not in ("open", "rejected"):
        fail(f"action {action_id} is {row['status']}; it takes no more decisions or evidence")
    try:
        state = run(_update(settings, row["workflow_id"], update, arg), settings)
    except WorkflowUpdateFailedError as exc:
        fail(f"action {action_id}: refused: {getattr(exc.cause, 'message', None) or exc.cause}")
    except RPCError as exc:
        fail(f"action {action_id}: its workflow did not take it ({exc.message})")
    if as_json:
        typer.echo(json.dumps({"id": action_id, **state.model_dump(mode="json")}, indent=2))
        return
    out.print(f"Action {action_id}: {done}; now {state.status.value}, due {state.due_at:%Y-%m-%d}")


def _decide(
    action_id: int, decision: Decision, by: str, as_json: bool, data_dir: str | None, **kw: Any
) -> None:
    settings = settings_for(data_dir)
    arg = ActionDecision(decision=decision, actor=acting(by), **kw)
    _apply(settings, action_id, CorrectiveActionWorkflow.decide, arg, as_json, f"{decision.value} recorded")


@app.command()
def accept(
    action: ActionId,
    reason: Annotated[str, typer.Option("--reason", help="Why the response is enough.")] = "",
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Accept the supplier's response: the action closes."""
    _decide(action, Decision.ACCEPT, by, as_json, data_dir, reason=reason)


@app.command()
def reject(
    action: ActionId,
    reason: Annotated[str, typer.Option("--reason", help="Why (sent to the supplier; required).")],
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Reject the supplier's response: they are told why and the clock restarts."""
    if not reason.strip():
        fail("--reason must say why the response is rejected", 2)
    _decide(action, Decision.REJECT, by, as_json, data_dir, reason=reason)


@app.command()
def waive(
    action: ActionId,
    reason: Annotated[str, typer.Option("--reason", help="The justification (required).")],
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Waive the action with a justification."""
    if not reason.strip():
        fail("--reason must give the justification for the waiver", 2)
    _decide(action, Decision.WAIVE, by, as_json, data_dir, reason=reason)


@app.command()
def extend(
    action: ActionId,
    due: Annotated[str, typer.Option("--due", help="New due date: 2027-04-30 or +14d.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; kept in the audit trail.")] = "",
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Move the action's due date."""
    try:
        due_at = parse_due(due)
    except ValueError as exc:
        fail(str(exc), 2)
    _decide(action, Decision.EXTEND, by, as_json, data_dir, reason=reason, due_at=due_at)


@app.command()
def assign(
    action: ActionId,
    owner: Annotated[str, typer.Argument(help="The new internal owner (email).")],
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Give the action to another internal owner."""
    _decide(action, Decision.ASSIGN, by, as_json, data_dir, owner=owner)


@app.command()
def note(
    action: ActionId,
    text: Annotated[str, typer.Argument(help="The note.")],
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Add a note to the action's timeline."""
    if not text.strip():
        fail("the note is empty", 2)
    _decide(action, Decision.NOTE, by, as_json, data_dir, reason=text)


@app.command()
def evidence(
    action: ActionId,
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="Letter, certificate")
    ],
    note_: Annotated[str, typer.Option("--note", help="What the document shows.")] = "",
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Attach a document the supplier sent (PDF, PNG, JPEG, DOCX, XLSX) as evidence for staff review."""
    settings = settings_for(data_dir)
    row = _action(settings, action)
    if row["status"] not in ("open", "rejected"):  # before storing anything
        fail(f"action {action} is {row['status']}; it takes no more decisions or evidence")
    try:
        with file.open("rb") as source:
            arg = store_evidence(
                sessions(settings),
                settings.resolved_file_store_dir(),
                row["case"],
                source,
                file.name,
                submitted_by=acting(by),
                note=note_,
                max_bytes=settings.max_upload_bytes,
            )
    except (TooLarge, EvidenceRefused) as exc:
        fail(str(exc))
    _apply(settings, action, CorrectiveActionWorkflow.submit_evidence, arg, as_json, "evidence attached")


def outreach(
    record: Annotated[
        str | None, typer.Option("--record", help="Record an outreach to this smelter (CID).")
    ] = None,
    note_: Annotated[str, typer.Option("--note", help="What was said or sent.")] = "",
    channel: Annotated[str, typer.Option("--channel", help="email, call, visit, letter...")] = "email",
    include_closed: Annotated[bool, typer.Option("--all", help="Include closed actions.")] = False,
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Non-conformant smelters by number of dependent suppliers, with their actions; record an outreach."""
    factory = sessions(settings_for(data_dir))
    if record is not None:
        if not note_.strip():
            fail("--note must say what the outreach was", 2)
        with factory.begin() as session:
            session.add(SmelterOutreach(smelter_id=record, actor=acting(by), channel=channel, note=note_))
            session.add(
                AuditEvent(
                    actor=acting(by),
                    action="smelter.outreach",
                    subject=f"smelter:{record}",
                    after={"channel": channel, "note": note_},
                )
            )
    with factory() as session:
        rows = outreach_list(session, include_closed)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if record is not None:
        out.print(f"Outreach to {record} recorded")
    table = Table()
    for column in ("smelter", "metal", "name", "suppliers", "actions", "last outreach"):
        table.add_column(column)
    for r in rows:
        last = r["outreach"][-1] if r["outreach"] else None
        table.add_row(
            r["smelter_id"],
            r["metal"] or "",
            r["name"] or "",
            str(r["suppliers"]),
            ", ".join(f"{d['supplier_id']}#{d['action']}" for d in r["dependents"]),
            f"{last['at'][:10]} {last['channel']}" if last else "",
        )
    out.print(table)
    out.print(f"{len(rows)} non-conformant smelter(s)")


__all__ = ["app", "outreach"]
