"""`minerals smelters import | lookup | history` against a fresh data dir."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

LIST = [
    ["Metal", "Smelter ID", "Standard Smelter Name", "Country", "RMAP Status"],
    ["Tin", "CID900002", "Kundur Timah Smelting Co., Ltd.", "Indonesia", "Conformant"],
    ["Tin", "CID900008", "Bangka Tin Industry", "Indonesia", "Active"],
    ["Gold", "CID900001", "Societe Generale d'Affinage S.A.", "France", "Probably fine"],
    ["Gold", "CID90001", "Short Id Refinery", "France", "Conformant"],
]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MINERALS_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def status_list(tmp_path: Path) -> Path:
    path = tmp_path / "rmi-list.csv"
    with path.open("w", newline="", encoding="cp1252") as out:
        csv.writer(out).writerows(LIST)
    return path


def test_import_reports_each_rejected_line_and_keeps_the_good_rows(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["smelters", "import", str(status_list(tmp_path)), "--as-of", "2025-01-31"])
    assert result.exit_code == 0, result.output
    assert "2 facilities added" in result.stdout and "2 statuses, 2 rejected" in result.stdout
    assert "line 4: status 'Probably fine' is not in the status vocabulary" in result.stderr
    assert "line 5: 'CID90001' is not an RMI facility id" in result.stderr
    history = json.loads(runner.invoke(app, ["smelters", "history", "--json"]).stdout)
    assert [(h["kind"], h["as_of"], [r["line"] for r in h["rejected"]]) for h in history] == [
        ("status-list", "2025-01-31", [4, 5])
    ]


def test_strict_import_refuses_the_whole_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["smelters", "import", str(status_list(tmp_path)), "--strict"])
    assert result.exit_code == 1
    assert "2 row(s) rejected; nothing was imported" in result.stderr
    assert json.loads(runner.invoke(app, ["smelters", "history", "--json"]).stdout) == []


def test_bad_files_and_dates_get_clear_messages(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just some text\n")
    result = runner.invoke(app, ["smelters", "import", str(notes)])
    assert result.exit_code == 1 and "no header row with a facility id column" in result.stderr
    result = runner.invoke(app, ["smelters", "import", str(status_list(tmp_path)), "--as-of", "31/01/2025"])
    assert result.exit_code == 2 and "use YYYY-MM-DD" in result.stderr


def test_lookup_ranks_candidates_with_status(runner: CliRunner, tmp_path: Path) -> None:
    empty = runner.invoke(app, ["smelters", "lookup", "Timah"])
    assert empty.exit_code == 1 and "registry is empty" in empty.stderr
    runner.invoke(app, ["smelters", "import", str(status_list(tmp_path)), "--as-of", "2025-01-31"])
    result = runner.invoke(app, ["smelters", "lookup", "Timah Kundur Smelting", "--metal", "tin", "--json"])
    found = json.loads(result.stdout)
    assert (found[0]["smelter_id"], found[0]["rmap_status"]) == ("CID900002", "conformant")
    assert found[0]["score"] >= 95 and all(f["metal"] == "Tin" for f in found)
    by_id = json.loads(runner.invoke(app, ["smelters", "lookup", "cid900008", "--json"]).stdout)
    assert [(f["smelter_id"], f["rmap_status"]) for f in by_id] == [("CID900008", "active")]
    table = runner.invoke(app, ["smelters", "lookup", "Bangka Tin"])
    assert table.exit_code == 0 and "CID900008" in table.stdout


def test_status_words_are_configurable_in_the_data_dir(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "risk.json").write_text(json.dumps({"statuses": {"Probably fine": "active"}}))
    result = runner.invoke(app, ["smelters", "import", str(status_list(tmp_path)), "--as-of", "2025-01-31"])
    assert "3 statuses, 1 rejected" in result.stdout
    found = json.loads(runner.invoke(app, ["smelters", "lookup", "CID900001", "--json"]).stdout)
    assert found[0]["rmap_status"] == "active"
    (data / "risk.json").write_text(json.dumps({"severities": {"smelter-unknown": "urgent"}}))
    broken = runner.invoke(app, ["smelters", "import", str(status_list(tmp_path))])
    assert broken.exit_code == 2 and "high, medium or low" in broken.stderr
