"""`minerals cases`: list and inspect survey cases; staff actions on one case."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from shlex import quote
from typing import Annotated, Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from activities.filestore import TooLarge, store_upload
from cases.action_view import actions_of_case, filter_cases
from cases.case_view import case_detail, case_query, case_row, email_state, iso
from cases.dates import parse_due
from cases.gateway import Gateway, NotStarted, Refused, WorkflowUnavailable
from cases.stalled import FIRST_ATTEMPTS, StalledRun, stalled_runs
from cases.start import not_started
from cli.context import By, DataDir, Json, acting, fail, hint, out, run, say, sessions, settings_for
from cli.smelters import risk_config
from cli.tables import wrapping_table
from models.campaign import Campaign
from models.corrective import CorrectiveAction
from models.enums import ActionStatus, Stage
from models.messages import CloseCase, Exempt, ExtendDue, Reopen, UploadOutcome
from models.outbox import EmailMessage, unresolved_bounce
from models.settings import Settings
from models.survey import Survey
from reports.case_smelters import case_smelters
from worker.client import connect
from workflows import SurveyWorkflow

app = typer.Typer(help="Survey cases: list, show, submit a file, staff actions.", no_args_is_help=True)

SURVEY_START_WAIT = 30.0  # seconds a case past pending may take for its survey workflow to exist
CaseId = Annotated[int, typer.Argument(help="Case number (see `minerals cases list`).", min=1)]
Reason = Annotated[str, typer.Option("--reason", help="Why; kept in the audit trail.")]


@app.command("list")
def list_(
    campaign: Annotated[str | None, typer.Option("--campaign", help="Only this campaign.")] = None,
    status: Annotated[Stage | None, typer.Option("--status", help="Only cases in this stage.")] = None,
    open_actions: Annotated[
        bool, typer.Option("--open-actions", help="Only cases with open actions.")
    ] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases with an overdue action.")] = False,
    severity: Annotated[
        str | None, typer.Option("--severity", help="Only cases with an open action of this severity.")
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only cases with an open action of this owner.")
    ] = None,
    smelter: Annotated[
        str | None,
        typer.Option("--smelter", help="Only cases whose latest findings name this smelter (CID)."),
    ] = None,
    metal: Annotated[
        str | None, typer.Option("--metal", help="Only cases with latest findings on this metal.")
    ] = None,
    bounced: Annotated[
        bool,
        typer.Option("--bounced", help="Only cases whose supplier address was refused (not resent yet)."),
    ] = False,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """List cases with their stage, due date and reminders."""
    factory = sessions(settings_for(data_dir))
    query = case_query()
    if campaign is not None:
        query = query.where(Campaign.name == campaign)
    if status is not None:
        query = query.where(Survey.stage == status.value)
    if bounced:
        query = query.where(Survey.id.in_(select(EmailMessage.survey_id).where(unresolved_bounce())))
    if severity is not None and severity not in ("high", "medium", "low"):
        fail("--severity must be high, medium or low", 2)
    query = filter_cases(
        query,
        open_actions=open_actions,
        overdue=overdue,
        severity=severity,
        owner=owner,
        smelter=smelter,
        metal=metal,
    )
    with factory() as session:
        if (
            campaign is not None
            and session.scalar(select(Campaign.id).where(Campaign.name == campaign)) is None
        ):
            fail(f"no campaign named {campaign!r}", 2)
        rows = [case_row(*r) for r in session.execute(query)]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = wrapping_table("case", "campaign", "supplier", "stage", "due", "reminders", "risk")
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["campaign"],
            r["supplier_id"],
            r["stage"],
            (r["due_at"] or "")[:16].replace("T", " "),
            str(r["reminders_sent"]),
            r["risk"] or "",
        )
    out.print(table)
    out.print(f"{len(rows)} case(s)")


def _detail(settings: Settings, case: int) -> dict[str, Any]:
    with sessions(settings)() as session:
        detail = case_detail(session, case)
        if detail is not None:
            detail["actions"] = actions_of_case(session, case)
            store = settings.resolved_file_store_dir()
            found = case_smelters(session, case, risk_config(settings), None, store)
            detail["smelters"] = found.to_dict() if found else None
    if detail is None:
        fail(f"no case {case}; see `{hint(settings, 'minerals cases list')}`", 2)
    return detail


@app.command()
def show(case: CaseId, as_json: Json = False, data_dir: DataDir = None) -> None:
    """Stage, history, files and their issues, findings and emails of one case."""
    settings = settings_for(data_dir)
    detail = _detail(settings, case)
    if as_json:
        typer.echo(json.dumps(detail, indent=2, ensure_ascii=False))
        return
    out.print(
        f"[bold]Case {detail['id']}[/] {detail['campaign']} ({detail['template']}) — "
        f"{detail['supplier_id']} {detail['supplier']}",
        highlight=False,
    )
    out.print(f"Stage {detail['stage']}, due {detail['due_at']}, reminders {detail['reminders_sent']}")
    if detail["planned_minerals"]:
        planned = ", ".join(detail["planned_minerals"])
        out.print(f"Asked about {planned} (the campaign's plan)", markup=False, highlight=False)
    if detail["not_started"]:
        out.print(f"The case is {detail['not_started']}", markup=False, highlight=False)
    if detail["risk"]:
        out.print(f"Risk {detail['risk']}")
    out.print("[bold]History[/]")
    for event in detail["history"]:
        note = f" — {event['note']}" if event["note"] else ""
        out.print(f"  {event['at'][:19]}  {event['action']:<24} {event['actor']}{note}", markup=False)
    for f in detail["files"]:
        out.print(f"[bold]File {f['id']}[/] {f['name']}: {f['check_status']}, {len(f['issues'])} issue(s)")
        for issue in f["issues"]:
            where = f"{issue.get('sheet', '')}!{issue.get('cell', '')}".strip("!")
            out.print(f"  {where:<22} {issue.get('message', '')}", markup=False, highlight=False)
    if detail["findings"]:
        out.print("[bold]Findings[/]")
        for finding in detail["findings"]:
            out.print(f"  {finding['severity']:<8} {finding['code']:<24} {finding['message']}", markup=False)
    for a in detail["actions"]:
        due = (a["due_at"] or "")[:10]
        out.print(
            f"[bold]Action {a['number']}[/] {a['kind']} ({a['severity']}): {a['status']}, due {due}"
            f"{' OVERDUE' if a['overdue'] else ''}, owner {a['owner'] or '-'}",
            highlight=False,
        )
        out.print(f"  expected: {a['required_outcome']}", markup=False)
        for f in a["findings"]:
            out.print(f"  - {f['message']}", markup=False, highlight=False)
        for e in a["timeline"]:
            note = f" — {e['note']}" if e["note"] else ""
            out.print(f"  {e['at'][:19]}  {e['event']:<24} {e['actor']}{note}", markup=False)
    faults = detail["email_faults"]
    out.print("[bold]Emails[/] ", end="")
    out.print(
        faults["summary"], style=None if faults["summary"] == "all emails sent" else "red", markup=False
    )
    if faults["bounced"]:
        fix = hint(settings, f"minerals suppliers update {quote(detail['supplier_id'])} --email NEW-ADDRESS")
        out.print(f"  Correct the refused address: {fix}", markup=False, highlight=False)
    for e in detail["emails"]:
        out.print(
            f"  {email_state(e):<19}  {e['kind']:<12} to {', '.join(e['to'])}: {e['subject']}", markup=False
        )
        if e["last_error"]:
            out.print(f"  {'':<19}  after {e['attempts']} attempt(s): {e['last_error']}", markup=False)


class SubmitRefused(Exception):
    """The case did not take the file; the message says why."""


async def submit_file(
    client: Client, settings: Settings, case: int, workflow_id: str, file: Path, by: str
) -> UploadOutcome:
    """Store a file for a case, then hand it to the survey workflow (Update); returns the check result.

    What the case's row says decides whether the file is stored at all (no query to the workflow, which
    costs its worker a task per upload in a campaign burst); a file the workflow does not take is marked
    refused on its row, with the reason."""
    factory = sessions(settings)
    refusal, pending = await asyncio.to_thread(_refusal, factory, case)
    if pending and await _exists(client, workflow_id):
        refusal = None  # started directly, not by a campaign: its request is about to be recorded
    if refusal:
        raise SubmitRefused(f"case {case} is {refusal}")
    with file.open("rb") as source:
        upload = await asyncio.to_thread(
            store_upload,
            factory,
            settings.resolved_file_store_dir(),
            case,
            source,
            file.name,
            uploaded_by=by,
            max_bytes=settings.max_upload_bytes,
        )
    try:
        return await Gateway(client=client).submit_stored(factory, workflow_id, upload, by, SURVEY_START_WAIT)
    except (Refused, WorkflowUnavailable) as exc:
        if isinstance(exc, NotStarted):
            exc = WorkflowUnavailable(f"the survey workflow did not take the file ({exc})")
        raise SubmitRefused(f"case {case}: file {upload.file_id} refused: {exc}") from None


async def _exists(client: Client, workflow_id: str) -> bool:
    """Whether the survey workflow exists (asked of the server: it costs the worker nothing)."""
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


def _refusal(factory: sessionmaker[Session], case: int) -> tuple[str | None, bool]:
    """Why the case takes no file now (None: it does): not started yet, or finished with no open action;
    and whether it is still pending."""
    with factory() as session:
        found = session.execute(case_query().where(Survey.id == case)).first()
        if found is None:
            return "not found", False
        said = not_started(session, found[0], found[1])
        if said:
            return f"{said}; upload the file once its request has gone out", True
        stage = Stage(found[0].stage)
        actions = session.scalars(select(CorrectiveAction.status).where(CorrectiveAction.survey_id == case))
        if stage.final and all(ActionStatus(status).closed for status in actions):
            return f"{stage.value}; reopen it first to take a new file", False
    return None, False


async def _submit(settings: Settings, case: int, workflow_id: str, file: Path, by: str) -> UploadOutcome:
    return await submit_file(await connect(settings), settings, case, workflow_id, file, by)


@app.command()
def submit(
    case: CaseId,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="Filled template")],
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Upload a supplier's file on their behalf: store it, hand it to the case, print the check result."""
    settings = settings_for(data_dir)
    detail = _detail(settings, case)
    try:
        outcome = run(_submit(settings, case, detail["workflow_id"], file, acting(by)), settings)
    except (TooLarge, SubmitRefused) as exc:
        fail(str(exc))
    except RPCError as exc:
        fail(f"case {case}: the survey workflow did not take the file ({exc.message})")
    out.print(
        f"Case {case}: file {outcome.file_id} is {outcome.status.value} "
        f"({outcome.issue_count} issue(s)); the case is now {outcome.stage.value}"
    )
    if outcome.issue_count:
        see = hint(settings, f"minerals cases show {case}")
        say(f"See the issues with: {see}")


@app.command()
def stalled(
    attempts: Annotated[
        int, typer.Option("--attempts", min=2, help="Report a workflow task from this attempt on.")
    ] = FIRST_ATTEMPTS,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Workflows no worker moves on: their workflow task keeps failing or timing out; exit 1 when any."""
    settings = settings_for(data_dir)

    async def scan() -> list[StalledRun]:
        return await stalled_runs(await connect(settings), settings.task_queue, attempts)

    found = run(scan(), settings)
    if as_json:
        typer.echo(json.dumps([s.to_dict() for s in found], indent=2))
    elif not found:
        say(f"No workflow of queue {settings.task_queue} is on workflow task attempt {attempts} or later.")
    else:
        table = wrapping_table("workflow", "type", "attempts", "state", "since")
        for s in found:
            table.add_row(s.workflow_id, s.workflow_type, str(s.attempts), s.state, iso(s.since) or "")
        out.print(table)
        say("Each one's history in the Temporal UI says why. A task that keeps timing out ('started') on")
        say("a healthy-looking worker is held in its cache: restart that worker. One that fails needs a fix.")
    if found:
        raise typer.Exit(1)


async def _signal(settings: Settings, workflow_id: str, signal: Any, arg: Any) -> None:
    client = await connect(settings)
    await client.get_workflow_handle(workflow_id).signal(signal, arg)


def _send(settings: Settings, case: int, signal: Any, arg: Any, done: str) -> None:
    detail = _detail(settings, case)
    try:
        run(_signal(settings, detail["workflow_id"], signal, arg), settings)
    except RPCError as exc:
        fail(f"case {case}: the survey workflow did not take it ({exc.message})")
    out.print(f"Case {case}: {done}")


@app.command()
def extend(
    case: CaseId,
    due: Annotated[str, typer.Option("--due", help="New due date: 2027-04-30 or +14d.")],
    reason: Reason = "",
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Move a case's due date."""
    settings = settings_for(data_dir)
    try:
        due_at = parse_due(due)
    except ValueError as exc:
        fail(str(exc), 2)
    change = ExtendDue(due_at=due_at, actor=acting(by), reason=reason)
    _send(settings, case, SurveyWorkflow.extend_due, change, f"due date moved to {due_at:%Y-%m-%d %H:%M}")


@app.command()
def exempt(
    case: CaseId,
    reason: Annotated[str, typer.Option("--reason", help="Why the supplier is exempt (required).")],
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Exempt the supplier from this survey."""
    if not reason.strip():
        fail("--reason must say why the supplier is exempt", 2)
    settings = settings_for(data_dir)
    _refuse_with_open_actions(settings, case)
    _send(settings, case, SurveyWorkflow.exempt, Exempt(reason=reason, actor=acting(by)), "exemption sent")


def _refuse_with_open_actions(settings: Settings, case: int) -> None:
    """The survey ends only after its corrective actions: say so instead of sending an ignored signal."""
    still = [a["id"] for a in _detail(settings, case)["actions"] if a["status"] in ("open", "rejected")]
    if still:
        fail(f"case {case} has open corrective actions ({', '.join(map(str, still))}); decide them first")


@app.command()
def close(case: CaseId, reason: Reason = "", by: By = "", data_dir: DataDir = None) -> None:
    """Close a case without an accepted answer (not while it has open corrective actions)."""
    settings = settings_for(data_dir)
    _refuse_with_open_actions(settings, case)
    _send(settings, case, SurveyWorkflow.close, CloseCase(actor=acting(by), reason=reason), "closing sent")


@app.command()
def reopen(
    case: CaseId,
    due: Annotated[str | None, typer.Option("--due", help="New due date: 2027-04-30 or +14d.")] = None,
    reason: Reason = "",
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Reopen a finished case and ask the supplier again."""
    settings = settings_for(data_dir)
    try:
        due_at = parse_due(due) if due else None
    except ValueError as exc:
        fail(str(exc), 2)
    _send(
        settings,
        case,
        SurveyWorkflow.reopen,
        Reopen(actor=acting(by), reason=reason, due_at=due_at),
        "reopening sent",
    )
