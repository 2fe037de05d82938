"""`minerals assess FILE... --json`: the check object plus risk, smelter matches and findings."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from mrt.layouts import cmrt6
from mrt.model import NOT_IDENTIFIED, NOT_LISTED, LookupEntry
from mrt.writer import Filling, Value, write_template

LOOKUP = [
    LookupEntry("Tin", "Kundur Timah", "Kundur Timah Smelting Co., Ltd.", "INDONESIA", "CID900002", "RMI"),
    LookupEntry("Tin", "Bangka Tin Industry", "Bangka Tin Industry", "INDONESIA", "CID900008", "RMI"),
    LookupEntry("Tin", NOT_LISTED, None, None, None),
    LookupEntry("Tin", NOT_IDENTIFIED, "Unknown", "Unknown", None),
]
YES: dict[str, Value] = {"Tin": "Yes"}
COMPANY: dict[str, Value] = {
    "A": "Yes",
    "B": "No",
    "C": "Yes",
    "D": "Yes",
    "E": "No",
    "F": "Yes",
    "G": "Yes",
    "H": "No",
}


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("MINERALS_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def template(tmp_path: Path) -> Path:
    """A tin-only CMRT 6.4: a typed id, a look-up name, a misspelt unlisted name and a gap; Q4 Yes."""
    path = tmp_path / "supplier.xlsx"
    filling = Filling(
        version="6.4",
        company={"name": "Example Parts KK", "scope": "A. Company", "effective_date": dt.date(2025, 5, 1)},
        answers={
            "Q1": {"Tin": "Yes", "Tantalum": "No", "Gold": "No", "Tungsten": "No"},
            "Q2": YES,
            "Q3": {"Tin": "No"},
            "Q4": YES,
            "Q5": {"Tin": "No"},
            "Q6": {"Tin": "100%"},
            "Q7": YES,
            "Q8": YES,
        },
        company_answers=COMPANY,
        smelters=[
            {"id_input": "CID900002"},
            {"metal": "Tin", "lookup": "Bangka Tin Industry"},
            {"metal": "Tin", "lookup": NOT_LISTED, "name": "Timah Kundur Smelting", "country": "INDONESIA"},
            {"metal": "Tin", "lookup": NOT_IDENTIFIED},
        ],
        lookup=LOOKUP,
    )
    write_template(cmrt6.LAYOUT, filling, path)
    return path


def assess(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = runner.invoke(app, ["assess", "--json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_without_a_registry_the_file_look_up_seeds_one(runner: CliRunner, tmp_path: Path) -> None:
    code, [report] = assess(runner, str(template(tmp_path)))
    assert report["status"] in ("complete", "incomplete") and "issues" in report and code in (0, 1)
    assert (report["registry"], report["risk"]) == ("lookup", "high")
    assert [(s["row"], s["match"], s["matched_id"], s["rmap_status"]) for s in report["smelters"]] == [
        (5, "id", "CID900002", None),
        (6, "id", "CID900008", None),  # the look-up name fills in the id, as the template's formulas do
        (7, "name", "CID900002", None),
        (8, "none", None, None),
    ]
    assert report["smelters"][2]["score"] >= 95
    codes = {(f["code"], f["metal"], f["smelter_id"]) for f in report["findings"]}
    assert codes == {("sourcing-cahra", "Tin", None), ("smelter-not-identified", "Tin", None)}
    assert all(f["message"] and f["severity"] in ("high", "medium", "low") for f in report["findings"])


def test_imported_statuses_as_of_a_date_change_the_findings(runner: CliRunner, tmp_path: Path) -> None:
    path = template(tmp_path)
    listing = tmp_path / "list.csv"
    with listing.open("w", newline="") as out:
        csv.writer(out).writerows(
            [["Facility ID", "Assessment Status"], ["CID900002", "Suspended"], ["CID900008", "Conformant"]]
        )
    runner.invoke(app, ["smelters", "import", str(path), "--as-of", "2025-01-01"])
    runner.invoke(app, ["smelters", "import", str(listing), "--as-of", "2025-03-01"])
    _, [before] = assess(runner, str(path), "--as-of", "2025-02-01")
    _, [after] = assess(runner, str(path), "--as-of", "2025-04-01")
    assert before["registry"] == "database" and [s["rmap_status"] for s in before["smelters"][:2]] == [
        None,
        None,
    ]
    assert not {f["code"] for f in before["findings"]} & {"smelter-not-conformant"}
    assert (before["statuses_as_of"], after["statuses_as_of"]) == (None, "2025-03-01")
    assert [s["rmap_status"] for s in after["smelters"]] == ["suspended", "conformant", "suspended", None]
    flagged = [f for f in after["findings"] if f["code"] == "smelter-not-conformant"]
    assert [(f["smelter_id"], f["cell"]) for f in flagged] == [("CID900002", "A5")]


def test_real_file_and_unreadable_file_together(runner: CliRunner, tmp_path: Path, realworld: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    code, [real, bad] = assess(runner, str(realworld / "filled-cmrt-6.4-honeywell-hem.xlsx"), str(broken))
    assert code == 2
    assert {s["match"] for s in real["smelters"]} == {"id"} and len(real["smelters"]) == 40
    assert {f["metal"] for f in real["findings"] if f["code"] == "metal-without-smelters"} == {"Tin", "Gold"}
    assert (bad["status"], bad["risk"], bad["findings"]) == ("unreadable", None, [])
