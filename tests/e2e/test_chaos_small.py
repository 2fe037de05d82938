"""The chaos suite at CI size: 30 suppliers, two worker SIGKILLs (one as the relay accepts a message), a
database lock past the busy timeout, a relay outage with portal uploads, a Temporal SIGKILL; nothing lost,
stuck or sent twice unexplained."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UPLOADS = 3


def test_a_small_campaign_survives_the_chaos_suite(database_url: str) -> None:
    command = [
        sys.executable, str(ROOT / "bench" / "chaos.py"), "--json",
        "--suppliers", "30", "--kills", "2", "--aim-kills", "1", "--kill-every", "5", "--lock", "35",
        "--relay-outage", "20", "--uploads", str(UPLOADS), "--temporal-kill",
        "--reminder-every", "10s", "--escalate-after", "10s", "--due-margin", "5", "--settle", "90",
    ]  # fmt: skip
    if database_url.startswith("postgresql"):
        command += ["--database-url", database_url]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.stdout.strip(), run.stderr[-3000:]
    report = json.loads(run.stdout)
    progress = run.stderr[-3000:]

    assert report["enrolled"] == 30 and report["surveys_started"] == 30, progress
    assert report["conditions"]["worker_kills"] == 2
    assert report["lost"]["cases"] == 0 and report["lost"]["emails"] == 0, report["lost"]
    assert report["stuck"]["cases"] == 0, report["stuck"]
    # One kill lands as the relay accepts a message: the only duplicates allowed are such resends.
    duplicates = report["duplicates"]
    assert report["conditions"]["aimed_kills"] == 1 and duplicates["kills_in_window"] >= 1, duplicates
    assert duplicates["unexpected"] == 0 and duplicates["total"] == duplicates["after_kill_in_window"], (
        duplicates
    )
    # Every supplier but the refused one got its request; the sink refused the other at RCPT.
    assert report["emails"]["received_unique"] >= 29 and report["emails"]["refused_at_rcpt"] >= 1
    # The refused address: the case says so, its buyer is told, and its timers still run to overdue.
    bounced = report["bounced_case"]
    assert bounced["handled"], bounced
    # Each supplier's upload page answered while the mail relay was still down.
    uploads = report["portal_uploads_during_outage"]
    assert uploads["made"] == UPLOADS, uploads
    assert uploads["answered_while_down"] == UPLOADS and uploads["codes"] == {"303": UPLOADS}, uploads
    assert report["worker"]["exited_by_itself"] == 0 and report["console_exited_by_itself"] == 0
    assert run.returncode == 0, progress
