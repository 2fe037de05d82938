"""`minerals campaign start|status`: launch a survey campaign and watch it."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from shlex import quote
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from cases.campaigns import (
    CampaignError,
    check_startable,
    find_campaign,
    hold_reminders,
    reminders_paused,
    tell_surveys,
)
from cases.campaigns import stage_counts as counts_by_stage
from cases.case_view import iso
from cases.dates import parse_due
from cases.enrolment import CampaignConflict, CampaignPlan, check_plan, enrol, start_campaign_workflow
from cases.supplier_list import upsert_suppliers
from cli.campaign_plan import link_plan, plan, plan_scope
from cli.context import By, DataDir, Json, acting, err, fail, hint, out, run, say, sessions, settings_for
from cli.suppliers import load_rows
from models.campaign import Campaign
from models.enums import CampaignStatus, Stage, TemplateFamily
from models.outbox import outbox_health
from models.settings import Settings, parse_duration
from models.survey import Survey
from worker.client import connect

app = typer.Typer(
    help="Survey campaigns: start one, follow its progress, pause its reminders.", no_args_is_help=True
)


def _duration_option(value: str | None) -> str | None:
    if value is not None:
        try:
            parse_duration(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


async def _start(settings: Settings, campaign: Campaign) -> str:
    return await start_campaign_workflow(await connect(settings), settings, campaign)


@app.command()
def start(
    name: Annotated[str, typer.Option("--name", help="Campaign name, e.g. CMRT-2027.")],
    template: Annotated[TemplateFamily, typer.Option("--template", case_sensitive=False)],
    due: Annotated[str, typer.Option("--due", help="2027-03-31, an ISO date-time, or +30d from now.")],
    suppliers: Annotated[
        Path | None, typer.Option("--suppliers", exists=True, dir_okay=False, help="CSV or XLSX")
    ] = None,
    plan_file: Annotated[
        Path | None,
        typer.Option(
            "--plan", exists=True, dir_okay=False, help="Plan workbook of `campaign plan`: its scope."
        ),
    ] = None,
    reminder_every: Annotated[
        str | None, typer.Option("--reminder-every", callback=_duration_option, help="e.g. 14d, 36h, 2s")
    ] = None,
    reminders: Annotated[int | None, typer.Option("--reminders", min=0, max=50)] = None,
    escalate_after: Annotated[
        str | None,
        typer.Option("--escalate-after", callback=_duration_option, help="after the last reminder"),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Import the supplier list, enrol each supplier once, and start the campaign workflow."""
    settings = settings_for(data_dir)
    if (suppliers is None) == (plan_file is None):
        fail("give either --suppliers FILE or --plan PLAN.xlsx", 2)
    scoped = plan_scope(settings, plan_file, template.value, name) if plan_file else None
    try:
        plan = CampaignPlan(
            name=name,
            template=template,
            due_at=parse_due(due),
            reminder_every=reminder_every or settings.reminder_every,
            reminders=settings.reminders if reminders is None else reminders,
            escalation_after=escalate_after or settings.escalation_after,
            page_size=settings.campaign_page_size,
            minerals=scoped.minerals if scoped else (),
        )
        check_plan(plan)
    except ValueError as exc:
        fail(str(exc), 2)
    rows = load_rows(suppliers) if suppliers else []
    factory = sessions(settings)
    with factory() as session:
        existing = session.scalar(select(Campaign).where(Campaign.name == name))
        try:
            if existing is not None:
                check_startable(session, existing)
        except CampaignError as exc:
            fail(str(exc), 2)
    upsert_suppliers(factory, rows, actor=acting())
    try:
        chosen = scoped.suppliers if scoped else [r.supplier_id for r in rows]
        campaign, added = enrol(factory, plan, chosen, actor=acting())
    except CampaignConflict as exc:
        fail(str(exc), 2)
    if scoped:
        link_plan(factory, scoped, campaign.id, acting())
    try:
        workflow_id = run(_start(settings, campaign), settings)
    except typer.Exit:
        err.print(f"Campaign {campaign.name} and its {added} new case(s) are saved; run the command again.")
        raise
    out.print(f"Campaign {campaign.name}: {added} supplier(s) enrolled; workflow {workflow_id} started.")
    follow = hint(settings, f"minerals campaign status {quote(campaign.name)}")
    say(f"Follow it with: {follow}")


def stage_counts(factory: sessionmaker[Session], campaign_id: int) -> Counter[str]:
    """How many cases of a campaign are in each stage."""
    with factory() as session:
        return counts_by_stage(session, campaign_id)


def _campaign(factory: sessionmaker[Session], name: str) -> Campaign:
    with factory() as session:
        try:
            return find_campaign(session, name)
        except CampaignError as exc:
            fail(str(exc), 2)


def _wait_for_pages(factory: sessionmaker[Session], name: str, timeout: float) -> None:
    total = sum(stage_counts(factory, _campaign(factory, name).id).values())
    with Progress(TextColumn("starting surveys"), BarColumn(), MofNCompleteColumn(), console=out) as bar:
        task = bar.add_task("start", total=total)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            counts = stage_counts(factory, _campaign(factory, name).id)
            bar.update(task, completed=total - counts.get(Stage.PENDING.value, 0))
            if (
                not counts.get(Stage.PENDING.value)
                or _campaign(factory, name).status == CampaignStatus.STARTED
            ):
                return
            time.sleep(0.5)


@app.command()
def status(
    name: Annotated[str, typer.Argument(help="Campaign name.")],
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="Show a progress bar while starting.")
    ] = True,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Counts by stage, the response rate and the emails' faults (a progress bar while starting)."""
    settings = settings_for(data_dir)
    factory = sessions(settings)
    campaign = _campaign(factory, name)
    if wait and not as_json and campaign.status in (CampaignStatus.CREATED, CampaignStatus.STARTING):
        _wait_for_pages(factory, name, timeout=600)
        campaign = _campaign(factory, name)
    if as_json:
        typer.echo(json.dumps(status_of(factory, campaign), indent=2, ensure_ascii=False))
        return
    print_status(factory, campaign, settings)


def status_of(factory: sessionmaker[Session], campaign: Campaign) -> dict[str, Any]:
    """A campaign's status, counts by stage, response and email faults, JSON-ready."""
    with factory() as session:
        campaign = session.get(Campaign, campaign.id) or campaign  # the workflow may have moved it on
        query = select(func.count()).where(
            Survey.campaign_id == campaign.id, Survey.responded_at.is_not(None)
        )
        responded = session.scalar(query) or 0
        emails = outbox_health(session, campaign_id=campaign.id).to_dict()
        paused = reminders_paused(session, campaign.id)
    counts = stage_counts(factory, campaign.id)
    total = sum(counts.values())
    return {
        "campaign": campaign.name,
        "template": campaign.template,
        "due": campaign.due_date.isoformat(),
        "status": campaign.status,
        "started_at": iso(campaign.started_at),
        "stages": {stage.value: counts[stage.value] for stage in Stage if counts.get(stage.value)},
        "total": total,
        "responded": responded,
        "response_rate": responded / total if total else 0.0,
        "emails": emails,
        "reminders_paused": paused,
    }


def print_status(factory: sessionmaker[Session], campaign: Campaign, settings: Settings) -> None:
    """Print a campaign's counts by stage, its response rate and what is wrong with its emails."""
    shown = status_of(factory, campaign)
    counts, total, responded = shown["stages"], shown["total"], shown["responded"]
    with factory() as session:
        campaign = session.get(Campaign, campaign.id) or campaign
    table = Table(title=f"{campaign.name} ({campaign.template}, due {campaign.due_date:%Y-%m-%d})")
    table.add_column("stage")
    table.add_column("cases", justify="right")
    for stage in Stage:
        if counts.get(stage.value):
            table.add_row(stage.value, str(counts[stage.value]))
    table.add_row("[bold]total[/]", f"[bold]{total}[/]")
    out.print(table)
    rate = shown["response_rate"]
    out.print(f"Campaign status: {campaign.status}; response rate {rate:.0%} ({responded}/{total})")
    if shown["reminders_paused"]:
        resume = hint(settings, f"minerals campaign resume {quote(campaign.name)}")
        say(f"Reminders are paused: {resume}")
    if campaign.started_at:
        out.print(f"Started {campaign.started_at:%Y-%m-%d %H:%M} UTC")
    emails = shown["emails"]
    style = "red" if emails["bounced"] or emails["unsent"] and emails["last_error"] else None
    out.print(f"Emails: {emails['summary']}", style=style, markup=False, highlight=False)
    if emails["bounced"]:
        where = hint(settings, f"minerals cases list --campaign {quote(campaign.name)} --bounced")
        say(f"  The cases whose address was refused: {where}")


def _hold(name: str, pause: bool, reason: str, by: str, data_dir: str | None) -> None:
    settings = settings_for(data_dir)
    actor = acting(by)
    try:
        hold = hold_reminders(sessions(settings), name, pause, actor, reason)
    except CampaignError as exc:
        fail(str(exc), 2)

    async def tell() -> tuple[int, list[str]]:
        return await tell_surveys(await connect(settings), hold, actor, reason)

    told, problems = run(tell(), settings)
    word = "paused" if pause else "resumed"
    out.print(f"Campaign {name}: reminders {word} on {told} running case(s)", markup=False)
    for problem in problems:
        err.print(problem, markup=False, highlight=False)
    if problems:
        fail("recorded; run the same command again to tell the cases listed above")


Reason = Annotated[str, typer.Option("--reason", help="Why, for the cases' timelines.")]


@app.command()
def pause(
    name: Annotated[str, typer.Argument(help="Campaign name.")],
    reason: Reason = "",
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Hold the reminders, escalations and overdue marking of every case of the campaign."""
    _hold(name, True, reason, by, data_dir)


@app.command()
def resume(
    name: Annotated[str, typer.Argument(help="Campaign name.")],
    reason: Reason = "",
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Resume the campaign's reminders; each case carries on from where the pause stopped its cadence."""
    _hold(name, False, reason, by, data_dir)


app.command("plan")(plan)
