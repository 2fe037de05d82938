"""Benchmark (run by hand): a large campaign on the embedded stack next to a trivial-workflow ceiling.

    .venv/bin/python bench/bench_campaign.py --suppliers 10000 --trivial 2000

Reports surveys started per second, the time until every request email is captured, worker and
dev-server memory, and the throughput of a one-activity workflow measured in the same run; checks
that no email is lost or sent twice. Figures are ratios to the ceiling, so a loaded machine still
gives a fair comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from temporalio.worker import Worker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from trivial import TrivialWorkflow, touch  # noqa: E402

from cli.campaign import start_campaign_workflow  # noqa: E402
from cli.demo_data import demo_suppliers, write_supplier_csv  # noqa: E402
from cli.enrol import CampaignPlan, enrol  # noqa: E402
from cli.supplier_file import read_supplier_file  # noqa: E402
from cli.suppliers import upsert_suppliers  # noqa: E402
from models.enums import Stage, TemplateFamily  # noqa: E402
from models.outbox import EmailMessage  # noqa: E402
from models.survey import Survey  # noqa: E402
from worker.mail_capture import captured_mail  # noqa: E402
from worker.main import database  # noqa: E402
from worker.stack import Stack  # noqa: E402


def rss_mib(pid: int | str = "self") -> float:
    """Resident memory of a process in MiB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time a process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Cpu:
    """CPU used by the worker process and the dev server between two points."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.start = (cpu_seconds(), cpu_seconds(server_pid))

    def used(self) -> tuple[float, float]:
        """(worker, server) CPU seconds since creation."""
        return cpu_seconds() - self.start[0], cpu_seconds(self.server_pid) - self.start[1]


class Peaks:
    """Samples worker (this process) and dev-server memory every half second."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.worker = self.server = 0.0

    async def sample(self) -> None:
        """Run until cancelled."""
        while True:
            self.worker = max(self.worker, rss_mib())
            self.server = max(self.server, rss_mib(self.server_pid))
            await asyncio.sleep(0.5)


async def ceiling(stack: Stack, count: int) -> float:
    """Trivial one-activity workflows per second, started at concurrency 100, until all complete."""
    assert stack.client is not None
    queue = f"bench-trivial-{uuid.uuid4().hex[:6]}"
    gate = asyncio.Semaphore(100)
    async with Worker(stack.client, task_queue=queue, workflows=[TrivialWorkflow], activities=[touch]):
        began = time.monotonic()

        async def one(n: int) -> None:
            async with gate:  # 100 in flight; more waiting results exceed the dev server's long-poll limit
                handle = await stack.client.start_workflow(  # type: ignore[union-attr]
                    TrivialWorkflow.run, n, id=f"{queue}-{n}", task_queue=queue
                )
                await handle.result()

        await asyncio.gather(*(one(n) for n in range(count)))
        return count / (time.monotonic() - began)


def mail_count(folder: Path) -> int:
    """Captured messages so far (each is committed by its .json file)."""
    return sum(1 for _ in folder.glob("*.json")) if folder.is_dir() else 0


async def campaign(stack: Stack, count: int, work: Path) -> dict[str, float]:
    """Start a `count`-supplier campaign; time the starts and the request emails."""
    assert stack.client is not None
    factory = database(stack.settings)
    suppliers = demo_suppliers(count)
    rows = read_supplier_file(write_supplier_csv(suppliers, work / "suppliers.csv")).rows
    await asyncio.to_thread(upsert_suppliers, factory, rows)
    due = dt.datetime.now(dt.UTC) + dt.timedelta(days=60)
    plan = CampaignPlan("BENCH", TemplateFamily.CMRT, due, "14d", 3, "7d", stack.settings.campaign_page_size)
    camp, _ = await asyncio.to_thread(enrol, factory, plan, [r.supplier_id for r in rows])
    mail_dir = stack.addresses.mail_dir
    began = time.monotonic()
    await start_campaign_workflow(stack.client, stack.settings, camp)

    def pending() -> int:
        with factory() as session:
            query = select(func.count()).where(
                Survey.campaign_id == camp.id, Survey.stage == Stage.PENDING.value
            )
            return session.scalar(query) or 0

    started_at = mailed_at = None
    last_report = 0.0
    while mailed_at is None:
        await asyncio.sleep(0.5)
        now = time.monotonic() - began
        if started_at is None and await asyncio.to_thread(pending) == 0:
            started_at = now
        captured = mail_count(mail_dir)
        if captured >= count:
            mailed_at = now
        if now - last_report > 10:
            last_report = now
            print(f"  {now:6.0f} s: {captured} request emails captured", flush=True)
    for _ in range(60):  # the outbox row is marked sent just after the SMTP server took the message
        if check_mail(stack, count, parse=False)[2] >= count:
            break
        await asyncio.sleep(0.5)
    return {"surveys_requested_s": started_at or mailed_at, "mailed_s": mailed_at}


def check_mail(stack: Stack, count: int, parse: bool = True) -> tuple[int, int, int]:
    """(captured, duplicates, outbox rows sent): every request once, none twice."""
    mail = captured_mail(stack.addresses.mail_dir) if parse else []
    ids = Counter(m.header("Message-ID") for m in mail)
    factory = database(stack.settings)
    with factory() as session:
        sent = session.scalar(select(func.count()).where(EmailMessage.sent_at.is_not(None))) or 0
    return len(mail), sum(c - 1 for c in ids.values() if c > 1), sent


async def main(suppliers: int, trivial: int, page_size: int) -> None:
    """Run both phases on one fresh embedded stack and print the figures."""
    with tempfile.TemporaryDirectory(prefix="minerals-bench-") as tmp:
        work = Path(tmp)
        async with Stack(work / "data", ui=False, campaign_page_size=page_size) as stack:
            assert stack.server is not None and stack.server.process is not None
            peaks = Peaks(stack.server.process.pid)
            sampler = asyncio.create_task(peaks.sample())
            pid = stack.server.process.pid
            print(f"ceiling: {trivial} trivial one-activity workflows …", flush=True)
            cpu = Cpu(pid)
            per_second = await ceiling(stack, trivial)
            trivial_cpu = cpu.used()
            print(f"campaign: {suppliers} suppliers, page size {page_size} …", flush=True)
            cpu = Cpu(pid)
            timings = await campaign(stack, suppliers, work)
            survey_cpu = cpu.used()
            sampler.cancel()
            captured, duplicates, sent = check_mail(stack, suppliers)
        survey_rate = suppliers / timings["mailed_s"]
        print()
        print(f"trivial workflow ceiling         {per_second:8.1f} workflows/s")
        print(f"surveys requested (started+mail) {suppliers / timings['surveys_requested_s']:8.1f} surveys/s")
        print(
            f"all {suppliers} request emails captured after {timings['mailed_s']:.1f} s"
            f" = {survey_rate:.1f} surveys/s = {survey_rate / per_second:.2f} x ceiling"
        )
        for label, (w, srv), n in (("trivial", trivial_cpu, trivial), ("survey", survey_cpu, suppliers)):
            print(
                f"CPU per {label:<7} workflow: worker {1e3 * w / n:6.1f} ms, server {1e3 * srv / n:6.1f} ms"
            )
        print(f"peak RSS: worker process {peaks.worker:.0f} MiB, dev server {peaks.server:.0f} MiB")
        print(f"emails: {captured} captured, {sent} marked sent in the outbox, {duplicates} duplicates")
        if captured != suppliers or duplicates or sent != suppliers:
            raise SystemExit("lost or duplicate email")


async def stoppable(run: Coroutine[Any, Any, None]) -> None:
    """Run `run`, cancelling it on Ctrl-C or SIGTERM so the stack still stops cleanly."""
    task = asyncio.ensure_future(run)
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--trivial", type=int, default=2_000)
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(stoppable(main(args.suppliers, args.trivial, args.page_size)))
