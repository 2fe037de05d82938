"""Benchmark (run by hand): people's uploads and staff decisions while a large campaign starts.

    .venv/bin/python bench/bench_burst.py --suppliers 5000 --trivial 2000 [--workers 2] [--in-flight N]

Starts a campaign of N suppliers on the embedded stack and, from the first second, uploads a filled
template to a case that has its request (the way `minerals cases submit` does, CLI start-up excluded)
and sends a staff decision (a due-date extension) at a steady rate, until every survey has had its
request. Prints surveys started per second against the trivial-workflow ceiling measured in the same
run, and the p50/p95/max time from upload to verdict and from decision to recorded step during the
burst. `--workers 2` adds a second worker process (workflows and email) on the same stack;
`--in-flight` overrides CAMPAIGN_IN_FLIGHT; `--unpaced` (one worker) lets the campaign start
its surveys as fast as Temporal takes them, the behaviour before pacing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_campaign import Cpu, ceiling, stoppable  # noqa: E402

import activities.campaign as campaign_activities  # noqa: E402
from cli.campaign import start_campaign_workflow  # noqa: E402
from cli.cases import submit_file  # noqa: E402
from cli.demo_data import Answer, demo_suppliers, write_answer, write_supplier_csv  # noqa: E402
from cli.enrol import CampaignPlan, enrol  # noqa: E402
from cli.supplier_file import read_supplier_file  # noqa: E402
from cli.suppliers import upsert_suppliers  # noqa: E402
from models.enums import EmailKind, Stage, TemplateFamily  # noqa: E402
from models.messages import ExtendDue  # noqa: E402
from models.outbox import EmailMessage  # noqa: E402
from models.survey import Survey  # noqa: E402
from worker.main import database  # noqa: E402
from worker.stack import Stack  # noqa: E402
from workflows import SurveyWorkflow  # noqa: E402

QUIET = 20.0  # seconds of uploads and decisions after the campaign has started, the baseline


def spread(values: list[float]) -> str:
    """p50 / p95 / max of durations in seconds."""
    if not values:
        return "none"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):5.2f} s  p95 {p95:5.2f} s  max {ordered[-1]:5.2f} s"


class Requested:
    """Cases of the campaign whose request is recorded, handed out once each, in row order."""

    def __init__(self, sessions: sessionmaker[Session], campaign_id: int) -> None:
        self.sessions, self.campaign_id, self.after = sessions, campaign_id, 0

    def next(self) -> tuple[int, str] | None:
        """The next case whose request email went out a second ago or more (a supplier who just read it),
        after the last one handed out (None: none yet)."""
        read = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        with self.sessions() as session:
            row = session.execute(
                select(Survey.id, Survey.workflow_id)
                .join(EmailMessage, EmailMessage.survey_id == Survey.id)
                .where(
                    Survey.campaign_id == self.campaign_id,
                    Survey.id > self.after,
                    Survey.stage == Stage.REQUESTED.value,
                    EmailMessage.kind == EmailKind.REQUEST.value,
                    EmailMessage.sent_at < read,
                )
                .order_by(Survey.id)
                .limit(1)
            ).first()
        if row is None:
            return None
        self.after = row[0]
        return row[0], row[1]

    def pending(self) -> int:
        """Surveys of the campaign whose request email has not gone out yet."""
        sent = select(EmailMessage.survey_id).where(
            EmailMessage.kind == EmailKind.REQUEST.value, EmailMessage.sent_at.is_not(None)
        )
        with self.sessions() as session:
            query = select(func.count()).where(Survey.campaign_id == self.campaign_id, Survey.id.not_in(sent))
            return session.scalar(query) or 0


async def steady(rate: float, stop: asyncio.Event, act: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Start `act` `rate` times a second until `stop`; wait for those started."""
    tasks: list[asyncio.Task[None]] = []
    began = time.monotonic()
    while not stop.is_set():
        tasks.append(asyncio.create_task(act()))
        began += 1 / rate
        await asyncio.sleep(max(0.0, began - time.monotonic()))
    await asyncio.gather(*tasks)


async def burst(stack: Stack, count: int, work: Path, rate: float) -> dict[str, object]:
    """Start the campaign; upload and decide at `rate` each until every request is out."""
    assert stack.client is not None
    client, settings = stack.client, stack.settings
    factory = database(settings)
    suppliers = demo_suppliers(count)
    rows = read_supplier_file(write_supplier_csv(suppliers, work / "suppliers.csv")).rows
    await asyncio.to_thread(upsert_suppliers, factory, rows)
    files = [write_answer(s, Answer.COMPLETE, work / "answers") for s in suppliers[:8]]
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    plan = CampaignPlan("BURST", TemplateFamily.CMRT, due, "14d", 3, "7d", settings.campaign_page_size)
    camp, _ = await asyncio.to_thread(enrol, factory, plan, [r.supplier_id for r in rows])
    cases = Requested(factory, camp.id)
    uploads: list[float] = []
    decisions: list[float] = []
    errors: list[str] = []
    stop = asyncio.Event()

    async def upload() -> None:
        case = await asyncio.to_thread(cases.next)
        if case is None:
            return
        began = time.monotonic()
        try:
            await submit_file(client, settings, case[0], case[1], files[case[0] % len(files)], "bench")
            uploads.append(time.monotonic() - began)
        except Exception as exc:  # noqa: BLE001 (counted and shown, the burst goes on)
            errors.append(f"upload to case {case[0]}: {exc}")

    async def decide() -> None:
        case = await asyncio.to_thread(cases.next)
        if case is None:
            return
        new_due = due + dt.timedelta(days=7)
        began = time.monotonic()
        await client.get_workflow_handle(case[1]).signal(
            SurveyWorkflow.extend_due, ExtendDue(due_at=new_due, actor="bench", reason="burst")
        )
        while time.monotonic() - began < 120:
            if await asyncio.to_thread(_due_of, factory, case[0]) == new_due.date():
                decisions.append(time.monotonic() - began)
                return
            await asyncio.sleep(0.1)
        errors.append(f"decision on case {case[0]} not recorded after 120 s")

    began = time.monotonic()
    await start_campaign_workflow(client, settings, camp)
    people = [asyncio.create_task(steady(rate, stop, act)) for act in (upload, decide)]
    while await asyncio.to_thread(cases.pending):
        await asyncio.sleep(0.2)
    requested_s = time.monotonic() - began
    stop.set()
    await asyncio.gather(*people)
    print(f"  all {count} surveys requested after {requested_s:.1f} s", flush=True)
    print(f"  upload to verdict ({len(uploads):4d})         {spread(uploads)}", flush=True)
    print(f"  decision to recorded step ({len(decisions):4d}) {spread(decisions)}", flush=True)
    during = uploads[:], decisions[:]
    uploads.clear()
    decisions.clear()
    stop.clear()  # the same once every survey has started: what a person waits on a quiet stack
    people = [asyncio.create_task(steady(rate, stop, act)) for act in (upload, decide)]
    await asyncio.sleep(QUIET)
    stop.set()
    await asyncio.gather(*people)
    return {
        "requested_s": requested_s,
        "uploads": during[0],
        "decisions": during[1],
        "quiet_uploads": uploads,
        "quiet_decisions": decisions,
        "errors": errors,
    }


def _due_of(sessions: sessionmaker[Session], survey_id: int) -> dt.date | None:
    with sessions() as session:
        due = session.scalar(select(Survey.due_at).where(Survey.id == survey_id))
    return due.date() if due else None


def second_worker(data_dir: Path) -> subprocess.Popen[bytes]:
    """`minerals worker` (workflows and email) on the stack's settings, in a process of its own."""
    minerals = Path(sys.executable).parent / "minerals"
    env = {**os.environ, "MINERALS_LOG_LEVEL": "WARNING"}
    return subprocess.Popen([str(minerals), "worker", "--data-dir", str(data_dir)], env=env)  # noqa: S603


def report(
    result: dict[str, object],
    per_second: float,
    suppliers: int,
    workers: int,
    in_flight: int | None,
    unpaced: bool,
    cpu: tuple[float, float],
) -> None:
    """Print the figures (before the stack stops)."""
    rate_started = suppliers / float(result["requested_s"])  # type: ignore[arg-type]
    uploads, decisions, errors = result["uploads"], result["decisions"], result["errors"]
    assert isinstance(uploads, list) and isinstance(decisions, list) and isinstance(errors, list)
    print()
    print(f"workers                           {workers} (workflows + email each)")
    pacing = "unpaced" if unpaced else in_flight if in_flight is not None else "default"
    print(f"campaign in flight                {pacing}")
    print(f"trivial workflow ceiling          {per_second:8.1f} workflows/s")
    print(
        f"surveys requested                 {rate_started:8.1f} surveys/s in {result['requested_s']:.1f} s"
        f" = {rate_started / per_second:.2f} x ceiling"
    )
    quiet_uploads, quiet_decisions = result["quiet_uploads"], result["quiet_decisions"]
    assert isinstance(quiet_uploads, list) and isinstance(quiet_decisions, list)
    print(f"upload to verdict ({len(uploads):4d})         {spread(uploads)}")
    print(f"decision to recorded step ({len(decisions):4d}) {spread(decisions)}")
    print(f"  the same after the start: uploads ({len(quiet_uploads)}) {spread(quiet_uploads)}")
    print(f"  decisions ({len(quiet_decisions)}) {spread(quiet_decisions)}")
    print(f"CPU during the burst: worker process {cpu[0]:.0f} s, dev server {cpu[1]:.0f} s", flush=True)


async def main(
    suppliers: int, trivial: int, rate: float, workers: int, in_flight: int | None, unpaced: bool
) -> None:
    """Run the ceiling and the burst on one fresh embedded stack and print the figures."""
    overrides: dict[str, Any] = {} if in_flight is None else {"campaign_in_flight": in_flight}
    if unpaced:  # no target to keep: the window doubles every round trip up to the page
        overrides["campaign_in_flight"] = 100_000
        campaign_activities.PACE_TARGET = float("inf")
    with tempfile.TemporaryDirectory(prefix="minerals-burst-") as tmp:
        work = Path(tmp)
        async with Stack(work / "data", ui=False, **overrides) as stack:
            assert stack.server is not None and stack.server.process is not None
            extra = [second_worker(work / "data") for _ in range(workers - 1)]
            try:
                await asyncio.sleep(3 if extra else 0)  # the extra worker connects and polls
                print(f"ceiling: {trivial} trivial one-activity workflows …", flush=True)
                per_second = await ceiling(stack, trivial)
                print(f"burst: {suppliers} suppliers, {rate}/s uploads and {rate}/s decisions …", flush=True)
                cpu = Cpu(stack.server.process.pid)
                result = await burst(stack, suppliers, work, rate)
                worker_cpu, server_cpu = cpu.used()
                report(result, per_second, suppliers, workers, in_flight, unpaced, (worker_cpu, server_cpu))
            finally:
                for process in extra:
                    process.terminate()
                    process.wait(60)
    errors = result["errors"]
    assert isinstance(errors, list)
    for line in errors[:10]:
        print(f"  error: {line}")
    if errors:
        raise SystemExit(f"{len(errors)} upload(s) or decision(s) failed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suppliers", type=int, default=5_000)
    parser.add_argument("--trivial", type=int, default=2_000)
    parser.add_argument("--rate", type=float, default=0.5, help="uploads a second, and decisions a second")
    parser.add_argument("--workers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--in-flight", type=int, default=None)
    parser.add_argument("--unpaced", action="store_true")
    args = parser.parse_args()
    if args.unpaced and args.workers > 1:
        parser.error("--unpaced changes this process's campaign activity only: use it with one worker")
    run = main(args.suppliers, args.trivial, args.rate, args.workers, args.in_flight, args.unpaced)
    asyncio.run(stoppable(run))
