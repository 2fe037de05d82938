"""Case list response time at 100,000 cases (generated rows in SQLite) vs a trivial page in the same run.

Run by hand: `.venv/bin/python bench/bench_case_list.py [--cases 100000]`. Prints the median time of
each request through the whole app (session check, query, template) and its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import secrets
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import insert

from console.app import create_app
from models.campaign import Campaign
from models.db import create_schema, make_engine
from models.enums import Stage
from models.settings import Settings
from models.supplier import Supplier
from models.survey import Finding, Survey
from models.users import User

PASSWORD = secrets.token_urlsafe(16)  # generated per run: no secret in the repository
STAGES = [s.value for s in Stage if s != Stage.PENDING]
METALS = ("Tin", "Tantalum", "Tungsten", "Gold")


def generate(url: str, cases: int, campaigns: int = 10) -> None:
    """Fictitious suppliers, campaigns, one case per supplier and a finding on every fifth case."""
    engine = make_engine(url)
    create_schema(engine)
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(Campaign),
            [
                {
                    "id": c + 1,
                    "name": f"CMRT-{2020 + c}",
                    "template": "CMRT",
                    "due_date": dt.date(2020 + c, 3, 31),
                    "reminder_every": "14d",
                    "reminders": 3,
                    "escalation_after": "7d",
                }
                for c in range(campaigns)
            ],
        )
        conn.execute(
            insert(Supplier),
            [
                {
                    "id": n + 1,
                    "supplier_id": f"SUP{n:06d}",
                    "name": f"Bench Supplier {n:06d} Components",
                    "email": f"s{n}@supplier.test",
                    "owner_email": f"buyer{n % 20}@company.test",
                    "minerals": [],
                }
                for n in range(cases)
            ],
        )
        conn.execute(
            insert(Survey),
            [
                {
                    "id": n + 1,
                    "campaign_id": n % campaigns + 1,
                    "supplier_id": n + 1,
                    "workflow_id": f"survey-{n}",
                    "stage": rng.choice(STAGES),
                    "due_at": now + dt.timedelta(days=rng.randint(-60, 120)),
                    "risk": rng.choice((None, None, "none", "low", "high")),
                    "updated_at": now - dt.timedelta(minutes=n),
                }
                for n in range(cases)
            ],
        )
        conn.execute(
            insert(Finding),
            [
                {
                    "survey_id": n + 1,
                    "code": "smelter-not-conformant",
                    "severity": "high",
                    "message": "bench",
                    "metal": METALS[n % 4],
                    "smelter_id": f"CID{n % 500:06d}",
                    "details": {},
                }
                for n in range(0, cases, 5)
            ],
        )
        conn.execute(
            insert(User),
            [
                {
                    "email": "bench@company.test",
                    "role": "viewer",
                    "password_hash": PasswordHash(
                        (Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1),)
                    ).hash(PASSWORD),
                }
            ],
        )


def timings_ms(client: TestClient, path: str, runs: int) -> tuple[float, float]:
    """Median and fastest wall time of GET `path` in milliseconds (after one warm-up request); the
    fastest shows the cost without other processes' load, the median what a user would see."""
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times), min(times)


def main() -> None:
    """Generate the rows, sign in, and time each case-list variant against the sign-in page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=tmp, upload_secret=secrets.token_urlsafe(32))
        url = settings.resolved_database_url()
        started = time.perf_counter()
        generate(url, args.cases)
        print(f"generated {args.cases} cases in {time.perf_counter() - started:.1f} s ({Path(tmp)})")
        started = time.perf_counter()
        app = create_app(settings)  # as `minerals console` starts: schema, indexes, statistics
        print(f"console started in {time.perf_counter() - started:.1f} s")
        with TestClient(app) as client:
            page = client.get("/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            signed = client.post(
                "/login",
                data={"email": "bench@company.test", "password": PASSWORD, "csrf": csrf},
                follow_redirects=False,
            )
            assert signed.status_code == 303
            second = re.search(r'class="next" href="([^"]+)"', client.get("/cases?sort=due&dir=desc").text)
            variants = {
                "baseline: sign-in page": "/login",
                "cases, first page": "/cases",
                "cases, stage filter": "/cases?stage=overdue",
                "cases, campaign + sort by due desc": "/cases?campaign=CMRT-2025&sort=due&dir=desc",
                "cases, next page (keyset) by due": second.group(1).replace("&amp;", "&")
                if second
                else "/cases",
                "cases, supplier name search": "/cases?q=bench supplier 0421",
                "cases, supplier id search": "/cases?q=SUP0421",
                "cases, overdue": "/cases?overdue=1",
                "cases, metal + smelter": "/cases?metal=Tin&smelter=CID000020",
                "cases, owner + risk, by supplier": (
                    "/cases?owner=buyer3@company.test&risk=high&sort=supplier"
                ),
                "dashboard (all campaigns)": "/",
            }
            base, base_min = timings_ms(client, "/login", args.runs)
            print(f"{'request':<40} {'median ms':>10} {'x baseline':>11} {'min ms':>8} {'x baseline':>11}")
            for label, path in variants.items():
                ms, fastest = (base, base_min) if path == "/login" else timings_ms(client, path, args.runs)
                print(
                    f"{label:<40} {ms:>10.1f} {ms / base:>11.1f} {fastest:>8.1f} {fastest / base_min:>11.1f}"
                )


if __name__ == "__main__":
    main()
