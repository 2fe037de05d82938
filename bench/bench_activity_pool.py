"""Benchmark (run by hand): case writes while uploads are being checked, on asyncio's default thread pool
versus the worker's pool with a thread per activity slot, in the same run.

    .venv/bin/python bench/bench_activity_pool.py [--slots 50] [--checks 8] [--writes 40] [--rounds 3]

Each round starts `--checks` activities that wait on a parse (a blocking wait of 2 s, as `check_upload`
waits for the isolated parser) and, a moment later, `--writes` `record_transition` activities on a real
SQLite database. It prints the median and slowest write latency with each executor and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import tempfile
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import select

from activities.blocking import Blocking
from activities.records import RecordActivities
from cli.enrol import CampaignPlan, enrol
from models.db import create_schema, make_engine, session_factory
from models.enums import Stage, TemplateFamily
from models.messages import Transition
from models.supplier import Supplier
from models.survey import Survey

PARSE_WAIT = 2.0


def database(folder: Path, cases: int) -> tuple[RecordActivities, list[int]]:
    """A SQLite database with one campaign of `cases` generated suppliers."""
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    create_schema(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        for n in range(cases):
            session.add(Supplier(supplier_id=f"B{n}", name=f"Bench {n}", email=f"b{n}@bench.test"))
    plan = CampaignPlan(
        name="bench",
        template=TemplateFamily.CMRT,
        due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=30),
        reminder_every="14d",
        reminders=2,
        escalation_after="7d",
        page_size=100,
    )
    enrol(sessions, plan, [f"B{n}" for n in range(cases)])
    with sessions() as session:
        ids = list(session.scalars(select(Survey.id).order_by(Survey.id)))
    return RecordActivities(sessions), ids


async def round_of(
    records: RecordActivities, blocking: Blocking, ids: list[int], checks: int, tag: str
) -> list[float]:
    """Write latencies (seconds) of one write per case while `checks` parses wait."""
    parses = [asyncio.create_task(blocking(time.sleep, PARSE_WAIT)) for _ in range(checks)]
    await asyncio.sleep(0.05)

    async def write(survey_id: int) -> float:
        start = time.perf_counter()
        change = Transition(
            survey_id=survey_id,
            key=f"bench-{tag}-{survey_id}",
            action="survey.reminded",
            stage=Stage.REMINDED,
            due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=30),
            reminders_sent=1,
        )
        await blocking(records.apply, change)
        return time.perf_counter() - start

    latencies = await asyncio.gather(*(write(i) for i in ids))
    await asyncio.gather(*parses)
    return list(latencies)


async def measure(
    executor: Executor | None, records: RecordActivities, ids: list[int], args: argparse.Namespace, name: str
) -> list[float]:
    blocking = Blocking(executor)
    found: list[float] = []
    for r in range(args.rounds):
        found += await round_of(records, blocking, ids, args.checks, f"{name}-{r}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slots", type=int, default=50)
    parser.add_argument("--checks", type=int, default=8)
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        records, ids = database(Path(folder), args.writes)
        default = asyncio.run(measure(None, records, ids, args, "default"))
        with ThreadPoolExecutor(args.slots) as pool:
            sized = asyncio.run(measure(pool, records, ids, args, "pool"))
    print(f"{os.cpu_count()} CPUs; asyncio's default pool has {min(32, (os.cpu_count() or 1) + 4)} threads")
    for name, found in (("default pool", default), (f"pool of {args.slots}", sized)):
        print(
            f"{name:>14}: write latency median {statistics.median(found):.3f} s, slowest {max(found):.3f} s"
        )
    print(f"median ratio default/pool: {statistics.median(default) / statistics.median(sized):.1f}x")


if __name__ == "__main__":
    main()
