"""`minerals campaign start|status`: launch a survey campaign and watch it."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from cli.context import DataDir, acting, err, fail, out, run, sessions, settings_for
from cli.enrol import CampaignConflict, CampaignPlan, check_plan, enrol, parse_due
from cli.suppliers import load_rows, upsert_suppliers
from models.campaign import Campaign
from models.enums import CampaignStatus, Stage, TemplateFamily
from models.messages import CampaignInput
from models.settings import Settings, parse_duration
from models.survey import Survey
from worker.client import connect
from workflows import CampaignWorkflow, campaign_workflow_id

app = typer.Typer(help="Survey campaigns: start one, follow its progress.", no_args_is_help=True)


def _duration_option(value: str | None) -> str | None:
    if value is not None:
        try:
            parse_duration(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    return value


async def start_campaign_workflow(client: Client, settings: Settings, campaign: Campaign) -> str:
    """Start (or join) the campaign workflow; starting twice is a no-op."""
    handle = await client.start_workflow(
        CampaignWorkflow.run,
        CampaignInput(campaign_id=campaign.id, name=campaign.name, page_size=campaign.page_size),
        id=campaign_workflow_id(campaign.name),
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    return handle.id


async def _start(settings: Settings, campaign: Campaign) -> str:
    return await start_campaign_workflow(await connect(settings), settings, campaign)


@app.command()
def start(
    name: Annotated[str, typer.Option("--name", help="Campaign name, e.g. CMRT-2027.")],
    template: Annotated[TemplateFamily, typer.Option("--template", case_sensitive=False)],
    suppliers: Annotated[Path, typer.Option("--suppliers", exists=True, dir_okay=False, help="CSV or XLSX")],
    due: Annotated[str, typer.Option("--due", help="2027-03-31, an ISO date-time, or +30d from now.")],
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
    try:
        plan = CampaignPlan(
            name=name,
            template=template,
            due_at=parse_due(due),
            reminder_every=reminder_every or settings.reminder_every,
            reminders=settings.reminders if reminders is None else reminders,
            escalation_after=escalate_after or settings.escalation_after,
            page_size=settings.campaign_page_size,
        )
        check_plan(plan)
    except ValueError as exc:
        fail(str(exc), 2)
    rows = load_rows(suppliers)
    factory = sessions(settings)
    upsert_suppliers(factory, rows, actor=acting())
    try:
        campaign, added = enrol(factory, plan, [r.supplier_id for r in rows], actor=acting())
    except CampaignConflict as exc:
        fail(str(exc), 2)
    try:
        workflow_id = run(_start(settings, campaign), settings)
    except typer.Exit:
        err.print(f"Campaign {campaign.name} and its {added} new case(s) are saved; run the command again.")
        raise
    out.print(f"Campaign {campaign.name}: {added} supplier(s) enrolled; workflow {workflow_id} started.")
    out.print(f"Follow it with: minerals campaign status {campaign.name}")


def stage_counts(factory: sessionmaker[Session], campaign_id: int) -> Counter[str]:
    """How many cases of a campaign are in each stage."""
    with factory() as session:
        query = (
            select(Survey.stage, func.count()).where(Survey.campaign_id == campaign_id).group_by(Survey.stage)
        )
        return Counter({stage: count for stage, count in session.execute(query)})


def _campaign(factory: sessionmaker[Session], name: str) -> Campaign:
    with factory() as session:
        campaign = session.scalar(select(Campaign).where(Campaign.name == name))
        if campaign is None:
            known = ", ".join(session.scalars(select(Campaign.name).order_by(Campaign.id))) or "none yet"
            fail(f"no campaign named {name!r} (campaigns: {known})", 2)
        return campaign


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
    data_dir: DataDir = None,
) -> None:
    """Counts by stage and the response rate (a progress bar while pages of surveys are started)."""
    factory = sessions(settings_for(data_dir))
    campaign = _campaign(factory, name)
    if wait and campaign.status in (CampaignStatus.CREATED, CampaignStatus.STARTING):
        _wait_for_pages(factory, name, timeout=600)
        campaign = _campaign(factory, name)
    print_status(factory, campaign)


def print_status(factory: sessionmaker[Session], campaign: Campaign) -> None:
    """Print a campaign's counts by stage and its response rate."""
    with factory() as session:
        campaign = session.get(Campaign, campaign.id) or campaign  # the workflow may have moved it on
    counts = stage_counts(factory, campaign.id)
    total = sum(counts.values())
    with factory() as session:
        query = select(func.count()).where(
            Survey.campaign_id == campaign.id, Survey.responded_at.is_not(None)
        )
        responded = session.scalar(query) or 0
    table = Table(title=f"{campaign.name} ({campaign.template}, due {campaign.due_date:%Y-%m-%d})")
    table.add_column("stage")
    table.add_column("cases", justify="right")
    for stage in Stage:
        if counts.get(stage.value):
            table.add_row(stage.value, str(counts[stage.value]))
    table.add_row("[bold]total[/]", f"[bold]{total}[/]")
    out.print(table)
    rate = responded / total if total else 0.0
    out.print(f"Campaign status: {campaign.status}; response rate {rate:.0%} ({responded}/{total})")
    if campaign.started_at:
        out.print(f"Started {campaign.started_at:%Y-%m-%d %H:%M} UTC")
