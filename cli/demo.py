"""`minerals demo`: a whole campaign on the embedded stack in about a minute, with generated suppliers."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client

from cases.action_view import action_counts
from cli.campaign import print_status, stage_counts, start_campaign_workflow
from cli.cases import SubmitRefused, submit_file
from cli.context import DataDir, fail, out, say, sessions, settings_for
from cli.demo_data import Answer, DemoSupplier, demo_suppliers, write_answer, write_supplier_csv
from cli.enrol import CampaignPlan, enrol
from cli.report import print_campaign_kpi
from cli.stack_dir import data_dir_flag
from cli.supplier_file import read_supplier_file
from cli.suppliers import upsert_suppliers
from cli.up import print_addresses, until_stopped
from models.campaign import Campaign
from models.enums import Stage, TemplateFamily
from models.settings import Settings
from models.supplier import Supplier
from models.survey import Survey
from worker.devserver import StackError
from worker.stack import Stack

# Compressed cadence: a reminder every 4 s, two of them, escalation 4 s later, due after 30 s.
CADENCE = {"reminder_every": "4s", "reminders": 2, "escalation_after": "4s"}
DUE_IN = dt.timedelta(seconds=30)


async def _case_ids(factory: sessionmaker[Session], campaign_id: int) -> dict[str, tuple[int, str]]:
    def read() -> dict[str, tuple[int, str]]:
        with factory() as session:
            query = (
                select(Supplier.supplier_id, Survey.id, Survey.workflow_id)
                .join(Survey, Survey.supplier_id == Supplier.id)
                .where(Survey.campaign_id == campaign_id)
            )
            return {sid: (case, wid) for sid, case, wid in session.execute(query)}

    return await asyncio.to_thread(read)


async def _answer(
    client: Client, settings: Settings, supplier: DemoSupplier, case: tuple[int, str], folder: Path
) -> None:
    """Play one supplier: upload at its own pace, like a person answering the request email."""
    delay = {Answer.COMPLETE: 2.0, Answer.RISKY: 6.0, Answer.MISTAKES: 3.0}.get(supplier.answer)
    if delay is None:
        return  # silent: reminders, escalation, overdue
    await asyncio.sleep(delay + (int(supplier.supplier_id[-3:]) % 4) * 0.5)
    first = Answer.MISTAKES if supplier.answer == Answer.MISTAKES else supplier.answer
    try:
        outcome = await submit_file(
            client, settings, case[0], case[1], write_answer(supplier, first, folder), "supplier"
        )
        out.print(
            f"  {supplier.supplier_id} uploaded a file: {outcome.status.value} → case {outcome.stage.value}"
        )
        if supplier.answer == Answer.MISTAKES:
            await asyncio.sleep(6.0)
            fixed = write_answer(supplier, Answer.COMPLETE, folder)
            outcome = await submit_file(client, settings, case[0], case[1], fixed, "supplier")
            out.print(f"  {supplier.supplier_id} uploaded a fixed file: case {outcome.stage.value}")
        if supplier.answer == Answer.RISKY and int(supplier.supplier_id[-3:]) % 8 == 2:
            await asyncio.sleep(6.0)  # every other risky supplier fixes its sourcing: its actions resolve
            fixed = write_answer(supplier, Answer.COMPLETE, folder)
            outcome = await submit_file(client, settings, case[0], case[1], fixed, "supplier")
            out.print(
                f"  {supplier.supplier_id} fixed its sourcing in a new file: case {outcome.stage.value}"
            )
    except SubmitRefused as exc:
        out.print(f"  {supplier.supplier_id}: {exc}")


async def run_demo(stack: Stack, count: int) -> Campaign:
    """Generate suppliers and answers, start a campaign, play the suppliers, wait for the deadline."""
    assert stack.client is not None
    settings, client = stack.settings, stack.client
    folder = Path(settings.data_dir) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    suppliers = demo_suppliers(count)
    csv_path = write_supplier_csv(suppliers, folder / "suppliers.csv")
    factory = sessions(settings)
    rows = read_supplier_file(csv_path).rows
    await asyncio.to_thread(upsert_suppliers, factory, rows)
    name = f"DEMO-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}"
    due = dt.datetime.now(dt.UTC) + DUE_IN
    plan = CampaignPlan(name, TemplateFamily.CMRT, due, page_size=settings.campaign_page_size, **CADENCE)  # type: ignore[arg-type]
    campaign, _ = await asyncio.to_thread(enrol, factory, plan, [r.supplier_id for r in rows])
    await start_campaign_workflow(client, settings, campaign)
    out.print(f"Campaign {name}: {count} generated suppliers, due in {DUE_IN.seconds} s")
    while (await asyncio.to_thread(stage_counts, factory, campaign.id)).get(Stage.PENDING.value):
        await asyncio.sleep(0.3)
    out.print("Request emails sent; suppliers answer (complete, with mistakes then fixed, risky, silent):")
    cases = await _case_ids(factory, campaign.id)
    await asyncio.gather(
        *(_answer(client, settings, s, cases[s.supplier_id], folder / "answers") for s in suppliers)
    )
    while dt.datetime.now(dt.UTC) < due + dt.timedelta(seconds=2):
        await asyncio.sleep(0.5)
    return campaign


async def _demo(data_dir: Path, count: int, keep: bool, stop: asyncio.Event) -> None:
    async with Stack(data_dir) as stack:
        print_addresses(stack.addresses, stack.settings)
        campaign = await run_demo(stack, count)
        print_status(sessions(stack.settings), campaign, stack.settings)
        counts = action_counts(sessions(stack.settings), campaign.id)
        listed = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"
        out.print(f"Corrective actions: {sum(counts.values())} opened ({listed})")
        where = data_dir_flag(data_dir)  # empty once `print_addresses` recorded the stack for this dir
        out.print("\n[bold]Where to look[/]")
        if stack.addresses.temporal_ui:
            out.print(
                f"  Temporal UI      {stack.addresses.temporal_ui}  (workflows survey-{campaign.name}-…)"
            )
        if stack.addresses.console:
            add_user = f"minerals users add EMAIL --role admin{where}"
            say(f"  Console          {stack.addresses.console}  (after `{add_user}`)")
        out.print(f"  Captured mail    {stack.addresses.mail_dir}  (one .eml per message)")
        for what, command in (
            ("Cases", f"minerals cases list --campaign {campaign.name}"),
            ("One case", "minerals cases show 1"),
            ("Outbox", "minerals outbox"),
            ("Open actions", "minerals cases list --open-actions"),
            ("Smelters", "minerals smelters outreach"),
            ("KPI report", f"minerals report kpi --campaign {campaign.name}"),
        ):
            say(f"  {what:<16} {command}{where}")
        out.print()
        print_campaign_kpi(stack.settings, campaign.name)
        if keep:
            out.print("The stack keeps running so you can look around; Ctrl-C stops it.")
            await stop.wait()
            out.print("Stopping the stack…")


def demo(
    suppliers: Annotated[int, typer.Option("--suppliers", min=4, max=200, help="How many to generate.")] = 12,
    keep: Annotated[bool, typer.Option("--keep/--no-keep", help="Keep the stack running afterwards.")] = True,
    data_dir: DataDir = None,
) -> None:
    """Run a whole campaign on the embedded stack in about a minute and print where to look."""
    settings = settings_for(data_dir)
    path = Path(settings.data_dir).resolve()
    try:
        asyncio.run(until_stopped(lambda stop: _demo(path, suppliers, keep, stop)))
    except StackError as exc:
        fail(f"{exc} (stop it, or use another --data-dir)")
    up = f"minerals up{data_dir_flag(path)}"
    say(f"Stopped. Everything is kept in {path}; `{up}` brings the stack back.")
