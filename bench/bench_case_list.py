"""Case list, Today and dashboard response time at 100,000 cases (generated rows in SQLite) vs a trivial
page in the same run.

Run by hand: `.venv/bin/python bench/bench_case_list.py [--cases 100000]`. Prints the fastest, median,
95th percentile and slowest time of each request through the whole app (session check, queries, template)
and the median's ratio to the baseline's.
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
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import Connection, insert

from console.app import create_app
from models.campaign import Campaign
from models.corrective import ActionEvidence, CorrectiveAction
from models.db import create_schema, make_engine
from models.enums import Stage
from models.files import StoredFile
from models.outbox import EmailMessage
from models.registry import RegistryFacility, RegistryImport, RegistryStatus
from models.settings import Settings
from models.supplier import Supplier
from models.survey import Finding, Survey
from models.users import User

PASSWORD = secrets.token_urlsafe(16)  # generated per run: no secret in the repository
STAGES = [s.value for s in Stage if s != Stage.PENDING]
METALS = ("Tin", "Tantalum", "Tungsten", "Gold")
OWNER = "buyer0@company.test"  # signed in: owns a twentieth of the suppliers, every bounce among them
FACILITIES = 500


def generate(url: str, cases: int, campaigns: int = 10) -> None:
    """Fictitious suppliers, campaigns, one case per supplier, a finding on every fifth case, a corrective
    action on every tenth (evidence waiting on a fifth of those), an email per case (every hundredth
    bounced), and two status lists of 500 facilities (a tenth changed status)."""
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
        _work(conn, cases, now)
        conn.execute(
            insert(User),
            [
                {
                    "email": OWNER,
                    "role": "viewer",
                    "password_hash": PasswordHash(
                        (Argon2Hasher(time_cost=1, memory_cost=8192, parallelism=1),)
                    ).hash(PASSWORD),
                }
            ],
        )


def _work(conn: Connection, cases: int, now: dt.datetime) -> None:
    """What Today lists: actions, evidence, bounced emails, facilities whose status changed."""
    conn.execute(
        insert(StoredFile),
        [
            {
                "id": 1,
                "survey_id": 1,
                "sha256": "0" * 64,
                "size": 1,
                "path": "x",
                "original_name": "bench.xlsx",
            }
        ],
    )
    conn.execute(
        insert(CorrectiveAction),
        [
            {
                "id": n + 1,
                "survey_id": n + 1,
                "n": 1,
                "workflow_id": f"capa-{n}",
                "kind": "smelter-not-conformant",
                "group_key": "smelter-not-conformant",
                "severity": "high",
                "required_outcome": "bench",
                "owner": f"buyer{n % 20}@company.test",
                "due_at": now + dt.timedelta(days=n % 90 - 30),
                "status": "accepted" if n % 30 == 0 else "open",
                "findings": [],
                "opened_file_id": 1,
            }
            for n in range(0, cases, 10)
        ],
    )
    conn.execute(
        insert(ActionEvidence),
        [
            {"action_id": n + 1, "file_id": 1, "kind": "document", "submitted_by": "supplier"}
            for n in range(0, cases, 50)
        ],
    )
    conn.execute(
        insert(EmailMessage),
        [
            {
                "survey_id": n + 1,
                "kind": "request",
                "to": [f"s{n}@supplier.test"],
                "subject": "bench",
                "text_body": "",
                "html_body": "",
                "idempotency_key": f"bench-{n}",
                "sent_at": None if n % 100 == 0 else now,
                "bounced_at": now - dt.timedelta(minutes=n) if n % 100 == 0 else None,
            }
            for n in range(cases)
        ],
    )
    day = now.date()
    conn.execute(
        insert(RegistryImport),
        [
            {
                "id": i,
                "file_name": f"list-{i}.xlsx",
                "sha256": str(i) * 64,
                "kind": "status-list",
                "as_of": day,
            }
            for i in (1, 2)
        ],
    )
    conn.execute(
        insert(RegistryFacility),
        [
            {
                "smelter_id": f"CID{n:06d}",
                "metal": METALS[n % 4],
                "name": f"Bench smelter {n}",
                "first_import_id": 1,
            }
            for n in range(FACILITIES)
        ],
    )
    conn.execute(
        insert(RegistryStatus),
        [
            {
                "smelter_id": f"CID{n:06d}",
                "import_id": i,
                "as_of": day - dt.timedelta(days=90 * (2 - i)),
                "status": "non-conformant" if i == 2 and n % 10 == 0 else "conformant",
            }
            for i in (1, 2)
            for n in range(FACILITIES)
        ],
    )


@dataclass(frozen=True)
class Timing:
    """Wall times of one request in milliseconds."""

    fastest: float
    median: float
    p95: float
    slowest: float


def timings_ms(client: TestClient, path: str, runs: int) -> Timing:
    """Fastest, median, 95th percentile and slowest wall time of GET `path` (after one warm-up request);
    the fastest shows the cost without other processes' load, the median and p95 what users see."""
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
    return Timing(min(times), statistics.median(times), p95, max(times))


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
                data={"email": OWNER, "password": PASSWORD, "csrf": csrf},
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
                "cases, needs evidence review": "/cases?needs=evidence",
                "cases, bounced, by due": "/cases?needs=bounced&sort=due",
                "dashboard: Today (mine) + campaigns": "/",
                "dashboard: Today (team) + campaigns": "/?scope=team",
            }
            base = timings_ms(client, "/login", args.runs)
            print(
                f"{'request':<40} {'min ms':>7} {'median':>7} {'p95':>7} {'max':>7} {'median x baseline':>18}"
            )
            for label, path in variants.items():
                t = base if path == "/login" else timings_ms(client, path, args.runs)
                print(
                    f"{label:<40} {t.fastest:>7.1f} {t.median:>7.1f} {t.p95:>7.1f} {t.slowest:>7.1f}"
                    f" {t.median / base.median:>18.1f}"
                )


if __name__ == "__main__":
    main()
