"""Continuous due diligence on the real stack: each RMI status list imported through the CLI judges the
accepted cases again (dev server, worker, aiosmtpd, SQLite)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from test_campaign_e2e import cli, show, stack, wait_for  # noqa: F401  (the stack fixture)

from cli.demo_data import LOOKUP, Answer, demo_suppliers, write_answer, write_supplier_csv
from worker.stack import Stack

TIN = next(e.smelter_id or "" for e in LOOKUP if e.metal == "Tin")  # the smelter whose status moves
GOLD = next(
    e.smelter_id or "" for e in LOOKUP if e.metal == "Gold"
)  # Active from list 2 on: meets the outcome
DAY = dt.timedelta(days=1)


def status_list(path: Path, changes: dict[str, str]) -> Path:
    """Every demo smelter Conformant unless `changes` says otherwise."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Metal", "Smelter ID", "Standard Smelter Name", "Country", "RMAP Status"])
        for e in LOOKUP:
            writer.writerow(
                [
                    e.metal,
                    e.smelter_id,
                    e.standard_name,
                    e.country,
                    changes.get(e.smelter_id or "", "Conformant"),
                ]
            )
    return path


def outreach(running: Stack, smelter_id: str) -> dict[str, Any]:
    """A facility's outreach as `minerals outreach show` gives it, {} before it exists."""
    rows = json.loads(cli(running, "outreach", "list", "--all", "--json"))
    if not any(r["smelter_id"] == smelter_id for r in rows):
        return {}
    detail: dict[str, Any] = json.loads(cli(running, "outreach", "show", smelter_id, "--json"))
    return detail


def judged(detail: dict[str, Any]) -> list[str]:
    """The case's assessments and reassessments in its history."""
    kept = ("file.assessed", "case.reassessed", "survey.reassessed", "survey.risk-found", "survey.accepted")
    return [e["action"] for e in detail["history"] if e["action"] in kept]


def smelter_action(detail: dict[str, Any]) -> dict[str, Any] | None:
    return next((a for a in detail["actions"] if a["kind"] == "smelters-not-conformant"), None)


def test_each_status_list_judges_accepted_cases_again(stack: Stack, tmp_path: Path) -> None:  # noqa: F811
    today = dt.date.today()
    (supplier,) = demo_suppliers(1, (Answer.COMPLETE,))
    out = cli(
        stack,
        "smelters",
        "import",
        str(status_list(tmp_path / "list-1.csv", {})),
        "--as-of",
        str(today - 60 * DAY),
    )
    assert "registry refresh registry-refresh-" in out
    suppliers = write_supplier_csv([supplier], tmp_path / "suppliers.csv")
    cli(
        stack,
        "campaign",
        "start",
        "--name",
        "RR",
        "--template",
        "cmrt",
        "--suppliers",
        str(suppliers),
        "--due",
        "+1h",
    )
    (case,) = [r["id"] for r in json.loads(cli(stack, "cases", "list", "--json"))]
    wait_for(lambda: show(stack, case), lambda d: d["stage"] == "requested", 30)  # its request went out
    out = cli(
        stack, "cases", "submit", str(case), str(write_answer(supplier, Answer.COMPLETE, tmp_path / "a"))
    )
    assert "now accepted" in out

    second = status_list(tmp_path / "list-2.csv", {TIN: "Non Conformant", GOLD: "Active"})
    cli(stack, "smelters", "import", str(second), "--as-of", str(today - 30 * DAY))
    detail = wait_for(lambda: show(stack, case), lambda d: smelter_action(d) is not None, 60)
    assert detail["stage"] == "risk-found"
    action = smelter_action(detail)
    assert action is not None and action["status"] == "open"
    assert TIN in {f["smelter_id"] for f in action["findings"]}
    assert "survey.reassessed" in [e["action"] for e in detail["history"]]
    rows = {s["matched_id"]: s for s in detail["smelters"]["smelters"]}
    assert rows[TIN]["rmap_status"] == "non-conformant"  # the page reads the new assessment
    refreshes = json.loads(cli(stack, "registry", "list", "--json"))
    assert refreshes[0]["cases_changed"] == 1

    engaged = wait_for(lambda: outreach(stack, TIN), lambda o: o.get("state") == "needs-contact", 30)
    assert engaged["state"] == "needs-contact" and engaged["letters"] == 0  # staff see it wait for a contact
    digest = [e for e in json.loads(cli(stack, "outbox", "--json")) if e["kind"] == "registry-digest"]
    assert [e["to"] for e in digest] == [[supplier.owner_email]]
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"CID,name,email,language\n{TIN},Tin Sales,sales@tin.example.test,ja\n")
    assert "1 running outreach told" in cli(stack, "smelters", "contacts", "import", str(contacts))
    sent = wait_for(lambda: outreach(stack, TIN), lambda o: o.get("letters") == 1, 30)
    assert sent["state"] == "letter-sent" and sent["letters_sent"][0]["to"] == ["sales@tin.example.test"]
    cli(stack, "outreach", "note", TIN, "called their sales office")

    history = judged(show(stack, case))
    out = cli(stack, "smelters", "import", str(second), "--as-of", str(today - 30 * DAY))
    assert "nothing changed" in out
    assert judged(show(stack, case)) == history
    assert len(json.loads(cli(stack, "registry", "list", "--json"))) == len(refreshes)

    cli(
        stack,
        "smelters",
        "import",
        str(status_list(tmp_path / "list-3.csv", {GOLD: "Active"})),
        "--as-of",
        str(today),
    )
    detail = wait_for(lambda: show(stack, case), lambda d: d["stage"] == "accepted", 60)
    assert detail["stage"] == "accepted"
    action = smelter_action(detail)
    assert action is not None and action["status"] == "resolved"  # the Active gold refinery meets it
    ended = wait_for(lambda: outreach(stack, TIN), lambda o: o.get("state") == "closed", 30)
    assert ended["outcome"] == "conformant"
    assert [e["event"] for e in ended["timeline"]] == [
        "outreach.started",
        "outreach.needs-contact",
        "outreach.letter-sent",
        "outreach.note",
        "outreach.closed",
    ]
