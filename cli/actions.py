"""`minerals actions`: staff decisions on corrective actions; `minerals smelters outreach` (OECD step 4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError

from activities.evidence import EvidenceRefused, store_evidence
from activities.filestore import TooLarge
from cases.action_view import action_row, find_action, parse_action_number
from cases.dates import parse_due
from cli.context import By, DataDir, Json, acting, fail, hint, out, run, sessions, settings_for
from models.enums import Decision
from models.messages import ActionDecision, ActionState
from models.settings import Settings
from worker.client import connect
from workflows import CorrectiveActionWorkflow

app = typer.Typer(
    help="Corrective actions, numbered CASE/N (12/1): staff decisions and evidence.", no_args_is_help=True
)

ActionId = Annotated[
    str,
    typer.Argument(
        help="Action number CASE/N, e.g. 12/1 (see `minerals cases show CASE`).", show_default=False
    ),
]


def _action(settings: Settings, number: str) -> dict[str, Any]:
    try:
        case, n = parse_action_number(number)
    except ValueError as exc:
        fail(str(exc), 2)
    with sessions(settings)() as session:
        action = find_action(session, case, n)
        if action is None:
            fail(f"no corrective action {case}/{n}; see `{hint(settings, f'minerals cases show {case}')}`", 2)
        return action_row(action)


async def _update(settings: Settings, workflow_id: str, update: Any, arg: Any) -> ActionState:
    client = await connect(settings)
    handle = client.get_workflow_handle_for(CorrectiveActionWorkflow.run, workflow_id)
    return await handle.execute_update(update, arg)


def _apply(settings: Settings, number: str, update: Any, arg: Any, as_json: bool, done: str) -> None:
    row = _action(settings, number)
    name = row["number"]
    if row["status"] not in ("open", "rejected"):
        fail(f"action {name} is {row['status']}; it takes no more decisions or evidence")
    try:
        state = run(_update(settings, row["workflow_id"], update, arg), settings)
    except WorkflowUpdateFailedError as exc:
        fail(f"action {name}: refused: {getattr(exc.cause, 'message', None) or exc.cause}")
    except RPCError as exc:
        fail(f"action {name}: its workflow did not take it ({exc.message})")
    if as_json:
        typer.echo(json.dumps({"id": row["id"], "number": name, **state.model_dump(mode="json")}, indent=2))
        return
    out.print(f"Action {name}: {done}; now {state.status.value}, due {state.due_at:%Y-%m-%d}")


def _decide(number: str, decision: Decision, by: str, as_json: bool, data_dir: str | None, **kw: Any) -> None:
    settings = settings_for(data_dir)
    arg = ActionDecision(decision=decision, actor=acting(by), **kw)
    _apply(settings, number, CorrectiveActionWorkflow.decide, arg, as_json, f"{decision.value} recorded")


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
        fail(f"action {row['number']} is {row['status']}; it takes no more decisions or evidence")
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


__all__ = ["app"]
