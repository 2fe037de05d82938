"""Exports carry the chain head and verify offline; supplier text never becomes a spreadsheet formula."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from audit_kit import AuditDb
from openpyxl import load_workbook

from models.audit import AuditEvent

RISKY = {
    "actor": '=HYPERLINK("http://evil.test","x")',
    "subject": "+SUM(1)",
    "note": "@cmd",
    "n": "-2+3",
}


def fill(db: AuditDb) -> None:
    old = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    with db.sessions.begin() as session:
        session.add(AuditEvent(at=old, actor="system", action="campaign.created", subject="campaign:1"))
        after = {"name": RISKY["note"], "n": RISKY["n"]}
        session.add(
            AuditEvent(actor=RISKY["actor"], action="supplier.updated", subject=RISKY["subject"], after=after,
                       before={"name": "'quoted"})
        )  # fmt: skip
    db.append(3)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_an_export_verifies_offline_and_names_the_head(sqlite_db: AuditDb, fmt: str) -> None:
    fill(sqlite_db)
    path = sqlite_db.data_dir / f"audit.{fmt}"
    made = sqlite_db.minerals("audit", "export", "--format", fmt, "-o", str(path))
    assert made.exit_code == 0, made.output
    assert "5 event(s) written" in made.stdout
    head = sqlite_db.minerals("audit", "verify").stdout.split("head ")[1].strip()
    assert f"chain head {head}" in made.stdout
    sqlite_db.engine.dispose()
    (sqlite_db.data_dir / "minerals.db").unlink()  # offline: the database is gone
    checked = sqlite_db.minerals("audit", "verify", "--file", str(path))
    assert checked.exit_code == 0, checked.output
    assert f"5 event(s), head {head}" in checked.stdout


def test_csv_and_xlsx_neutralise_formula_text_and_read_back_exactly(sqlite_db: AuditDb) -> None:
    fill(sqlite_db)
    csv_path, xlsx_path = sqlite_db.data_dir / "a.csv", sqlite_db.data_dir / "a.xlsx"
    sqlite_db.minerals("audit", "export", "--format", "csv", "-o", str(csv_path))
    sqlite_db.minerals("audit", "export", "--format", "xlsx", "-o", str(xlsx_path))
    with csv_path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cells = [v for row in rows for v in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert rows[1]["actor"] == "'" + RISKY["actor"] and rows[1]["subject"] == "'" + RISKY["subject"]
    sheet = load_workbook(xlsx_path)["Audit events"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    actor = sheet.cell(row=3, column=4)
    assert (actor.value, actor.data_type, actor.quotePrefix) == (RISKY["actor"], "s", True)
    assert json.loads(str(sheet.cell(row=3, column=8).value)) == {"name": "@cmd", "n": "-2+3"}


def test_an_edited_export_fails_at_that_row(sqlite_db: AuditDb) -> None:
    fill(sqlite_db)
    path = sqlite_db.data_dir / "audit.jsonl"
    sqlite_db.minerals("audit", "export", "--format", "jsonl", "-o", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[3])
    event["actor"] = "someone else"
    lines[3] = json.dumps(event)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = sqlite_db.minerals("audit", "verify", "--file", str(path))
    assert checked.exit_code == 1
    assert f"BROKEN at row id {event['id']} (seq 3): its content no longer matches its hash" in checked.stderr


def test_a_dated_export_holds_its_range_and_links_within_it(sqlite_db: AuditDb) -> None:
    fill(sqlite_db)
    path = sqlite_db.data_dir / "range.csv"
    dates = ["--since", "2026-01-01", "--until", "2026-01-06"]
    made = sqlite_db.minerals("audit", "export", "--format", "csv", *dates, "-o", str(path))
    assert "1 event(s) written" in made.stdout
    with path.open(newline="", encoding="utf-8") as fh:
        (only,) = csv.DictReader(fh)
    assert (only["action"], only["at"]) == ("campaign.created", "2026-01-05T00:30:00.000000Z")
    checked = sqlite_db.minerals("audit", "verify", "--file", str(path))
    assert checked.exit_code == 0 and "ends before the chain head" in checked.stdout


def test_log_filters_by_case_actor_and_prints_json(sqlite_db: AuditDb) -> None:
    fill(sqlite_db)
    by_case = sqlite_db.minerals("audit", "log", "--case", "1", "--json")
    events = [json.loads(line) for line in by_case.stdout.splitlines()]
    assert [(e["subject"], e["after"]) for e in events] == [("survey:1", {"i": 1})]
    by_actor = sqlite_db.minerals("audit", "log", "--actor", RISKY["actor"])
    assert "supplier.updated" in by_actor.stdout and "campaign.created" not in by_actor.stdout
    bad = sqlite_db.minerals("audit", "log", "--since", "yesterday")
    assert bad.exit_code == 2 and "is not a date" in bad.stderr


def test_unknown_export_format_is_refused(sqlite_db: AuditDb, tmp_path: Path) -> None:
    result = sqlite_db.minerals("audit", "export", "--format", "pdf", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2 and "use one of jsonl, csv, xlsx" in result.stderr
