"""Registry refresh: time from a status-list import to the last affected case judged again, against judging
every case again (the naive way) in the same run.

Run by hand: `.venv/bin/python bench/bench_refresh.py [--cases 1000 10000] [--rounds 3] [--url ...]`.
Default database: a fresh SQLite file per size. Each size gets `--cases` accepted cases declaring
`--rows` smelters each out of `--facilities` conformant ones (stored matches, as uploads leave them). Each
round imports a new RMI status list (CSV) in which `--changing` facilities change status, then either
  - targeted: the refresh's own activity code (begin + pages of 200) re-judges the cases naming them, or
  - naive: the same judging code runs over every accepted case;
rounds alternate targeted and naive. Timed: the import plus the judging, up to the last case updated in
the database (the surveys' reactions are one signal per changed case, the same in both ways).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import risk
from activities.refresh import JUDGED, RefreshActivities, judge_again
from models.assessment import Assessment
from models.campaign import Campaign
from models.db import create_schema, make_engine, session_factory
from models.files import StoredFile
from models.refresh import RegistryRefresh
from models.refresh_messages import RefreshPage
from models.supplier import Supplier
from models.survey import Survey
from risk.assess import Assessment as Judged
from risk.assess import SmelterResult
from risk.assessed import save_assessment

METALS = ("Tin", "Tantalum", "Tungsten", "Gold")
STATUSES = ("Conformant", "Non Conformant")


def facility_ids(count: int) -> list[str]:
    return [f"CID9{n:05d}" for n in range(count)]


def write_list(path: Path, ids: list[str], bad: set[str]) -> Path:
    """A status list: every facility, `bad` ones Non Conformant."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Metal", "Smelter ID", "Standard Smelter Name", "Country", "RMAP Status"])
        for n, cid in enumerate(ids):
            status = STATUSES[1] if cid in bad else STATUSES[0]
            writer.writerow([METALS[n % 4], cid, f"Bench Refinery {cid}", "JAPAN", status])
    return path


def populate(sessions: sessionmaker[Session], cases: int, rows: int, ids: list[str], folder: Path) -> None:
    """Accepted cases, each with a stored assessment of `rows` conformant smelters."""
    with sessions() as session:
        risk.import_file(
            session, write_list(folder / "list-0.csv", ids, set()), dt.date.today() - dt.timedelta(days=90)
        )
    pick = random.Random(7)
    metal_of = {cid: METALS[n % 4] for n, cid in enumerate(ids)}
    with sessions.begin() as session:
        campaign = Campaign(
            name="bench",
            template="CMRT",
            due_date=dt.date(2027, 3, 31),
            reminder_every="14d",
            reminders=3,
            escalation_after="7d",
        )
        session.add(campaign)
        session.flush()
        for n in range(cases):
            supplier = Supplier(
                supplier_id=f"B{n}",
                name=f"Bench {n}",
                email=f"b{n}@bench.test",
                language="en",
                owner_email=f"owner{n % 20}@company.test",
            )
            session.add(supplier)
            session.flush()
            survey = Survey(
                campaign_id=campaign.id,
                supplier_id=supplier.id,
                workflow_id=f"survey-bench-B{n}",
                stage="accepted",
                due_at=dt.datetime(2027, 3, 31, tzinfo=dt.UTC),
            )
            session.add(survey)
            session.flush()
            stored = StoredFile(
                survey_id=survey.id,
                sha256="0" * 64,
                size=1,
                path="x",
                original_name="cmrt.xlsx",
                check_status="complete",
            )
            session.add(stored)
            session.flush()
            declared = [
                SmelterResult(
                    row=5 + i,
                    metal=metal_of[cid],
                    declared_id=cid,
                    name=None,
                    country=None,
                    matched_id=cid,
                    match="id",
                    score=100.0,
                    review=False,
                    rmap_status="conformant",
                )
                for i, cid in enumerate(pick.sample(ids, rows))
            ]
            save_assessment(
                session, survey.id, stored.id, Judged("none", dt.date.today(), "database", declared, [])
            )
            if n % 1000 == 999:
                session.flush()


def import_list(sessions: sessionmaker[Session], path: Path) -> int:
    with sessions() as session:
        return risk.import_file(session, path, dt.date.today()).record.id


def targeted(sessions: sessionmaker[Session], import_id: int) -> int:
    """The refresh's activity code: its changed facilities, then pages of concerned cases."""
    refreshing = RefreshActivities(sessions)
    plan = refreshing.begin(import_id, f"bench-{import_id}")
    after, changed = 0, 0
    while True:
        page, _ = refreshing.page(RefreshPage(refresh_id=plan.refresh_id, after=after, limit=200))
        changed += page.changed
        after = page.last
        if page.done:
            return changed


def naive(sessions: sessionmaker[Session], import_id: int) -> int:
    """The same judging code over every accepted case."""
    plan = RefreshActivities(sessions).begin(import_id, f"bench-naive-{import_id}")
    changed = 0
    with sessions.begin() as session:
        refresh = session.get(RegistryRefresh, plan.refresh_id)
        assert refresh is not None
        registry = risk.load_registry(session, refresh.as_of)
        config = risk.RiskConfig()
        every = session.scalars(
            select(Assessment)
            .join(Survey, Survey.id == Assessment.survey_id)
            .where(Assessment.current.is_(True), Survey.stage.in_(JUDGED))
        ).all()
        for kept in every:
            changed += judge_again(session, refresh, kept, registry, config) is not None
    return changed


def bench(cases: int, args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    url = args.url or f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    create_schema(engine)
    sessions = session_factory(engine)
    ids = facility_ids(args.facilities)
    started = time.perf_counter()
    populate(sessions, cases, args.rows, ids, folder)
    print(f"{cases} cases of {args.rows} smelters populated in {time.perf_counter() - started:.1f} s")
    flips = random.Random(11)
    bad: set[str] = set()
    times: dict[str, list[float]] = {"targeted": [], "naive": []}
    touched: dict[str, list[int]] = {"targeted": [], "naive": []}
    for n in range(args.rounds * 2):
        way = "targeted" if n % 2 == 0 else "naive"
        bad ^= set(flips.sample(ids, args.changing))  # these facilities change status in this list
        path = write_list(folder / f"list-{n + 1}.csv", ids, bad)
        t0 = time.perf_counter()
        import_id = import_list(sessions, path)
        count = targeted(sessions, import_id) if way == "targeted" else naive(sessions, import_id)
        times[way].append(time.perf_counter() - t0)
        touched[way].append(count)
    base = statistics.median(times["naive"])  # ratios are truncated, never rounded up
    for way in ("targeted", "naive"):
        t = times[way]
        print(
            f"{cases:>6} cases {way:<9} min {min(t):7.2f} s  median {statistics.median(t):7.2f} s"
            f"  max {max(t):7.2f} s  cases changed {touched[way]}"
            f"  median x naive {math.floor(statistics.median(t) / base * 1000) / 1000:.3f}"
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rows", type=int, default=10, help="smelters each case declares")
    parser.add_argument("--facilities", type=int, default=500)
    parser.add_argument("--changing", type=int, default=5, help="facilities whose status changes per list")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--url", default="", help="a database URL (default: a fresh SQLite file per size)")
    args = parser.parse_args()
    now = dt.datetime.now(dt.UTC)
    print(f"{now:%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    for cases in args.cases:
        bench(cases, args)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
