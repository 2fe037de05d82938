"""`minerals purchases import|map` and `campaign plan`: scope from what was bought, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli.main import app
from worker.devserver import free_port

runner = CliRunner()
HEADER = "Vendor ID,Part No.,Description,Commodity,Qty,Spend,Purchase date\n"
LINES = (
    "S1,P-100,Lead-free solder paste,Solder,10,1000,2024-05-01\n"
    "S1,P-101,Tantalum capacitor 10uF,Capacitor,500,250.5,2024-06-01\n"
    "S2,P-200,Li-ion battery pack,Battery,20,4000,2024-07-15\n"
    "S3,P-300,Steel screw M3,Fastener,1000,50,2024-08-01\n"
    "S9,P-900,Gold-plated connector,Connector,10,300,2024-09-01\n"
)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINERALS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MINERALS_TEMPORAL_ADDRESS", f"127.0.0.1:{free_port()}")  # nothing listens there
    monkeypatch.setenv("MINERALS_FISCAL_YEAR_START_MONTH", "4")
    (tmp_path / "suppliers.csv").write_text(
        "supplier_id,name,email,contact_name,language\n"
        "S1,One (fictitious),s1@example.test,,en\nS2,Two (fictitious),s2@example.test,,en\n"
        "S3,Three (fictitious),s3@example.test,,en\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["suppliers", "import", str(tmp_path / "suppliers.csv")]).exit_code == 0
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_bad_rows_are_named_by_line_and_nothing_is_imported(data: Path) -> None:
    bad = data / "bad.csv"
    bad.write_text(HEADER + LINES + "S4,,Widget,Solder,1,x,2024-13-01\n", encoding="utf-8")
    code, output = invoke("purchases", "import", str(bad))
    assert code == 1 and "Traceback" not in output
    assert "line 7" in output and "part number is empty" in output and "spend 'x' is not a number" in output
    assert "nothing was imported" in output
    good = data / "good.csv"
    good.write_text(HEADER + LINES, encoding="utf-8")
    code, output = invoke("purchases", "import", str(good), "--json")
    assert code == 0, output
    assert json.loads(output) == {"import": 1, "rows": 5, "suppliers": 4, "fiscal_years": [2024]}
    code, output = invoke("purchases", "import", str(good))
    assert code == 1 and "imported before" in output


def test_fiscal_year_follows_the_start_month(data: Path) -> None:
    early = data / "early.csv"
    early.write_text(HEADER + "S1,P-1,Solder,Solder,1,1,2025-03-31\n", encoding="utf-8")
    code, output = invoke("purchases", "import", str(early), "--fiscal-year", "FY2025")
    assert code == 1 and "FY2024, the import is for FY2025" in output  # April start: March is the year before


def test_xlsx_purchases_with_a_fiscal_year_column(data: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Supplier", "Material number", "Material class", "Amount", "FY"])
    book.active.append(["S1", "M-1", "Solder wire", 12.5, "FY2024"])
    book.save(data / "p.xlsx")
    code, output = invoke("purchases", "import", str(data / "p.xlsx"), "--json")
    assert code == 0, output
    assert json.loads(output)["fiscal_years"] == [2024]


def test_staff_map_replaces_the_default(data: Path) -> None:
    code, output = invoke("purchases", "map", "--json")
    assert json.loads(output)["map"]["solder"] == ["Tin"] and not json.loads(output)["staff"]
    (data / "map.csv").write_text(
        "commodity,minerals\nFastener,Tin\nBattery,cobalt; Mica\n", encoding="utf-8"
    )
    code, output = invoke("purchases", "map", str(data / "map.csv"))
    assert code == 0, output
    shown = json.loads(invoke("purchases", "map", "--json")[1])
    assert shown == {"staff": True, "map": {"fastener": ["Tin"], "battery": ["Cobalt", "Mica"]}}
    (data / "bad.csv").write_text("commodity,minerals\nFoo,Unobtainium\n", encoding="utf-8")
    code, output = invoke("purchases", "map", str(data / "bad.csv"))
    assert code == 1 and "line 2" in output and "Unobtainium" in output


def test_plan_lists_the_suppliers_in_scope_and_starts_exactly_them(data: Path) -> None:
    (data / "p.csv").write_text(HEADER + LINES, encoding="utf-8")
    assert invoke("purchases", "import", str(data / "p.csv"))[0] == 0
    plan_file = data / "plan.xlsx"
    code, output = invoke(
        "campaign", "plan", "--fiscal-year", "2025", "--template", "CMRT", "--out", str(plan_file), "--json"
    )
    assert code == 0, output
    shown = json.loads(output)
    assert [(s["supplier_id"], s["minerals"]) for s in shown["suppliers"]] == [
        ("S1", ["Tantalum", "Tin"]),
        ("S9", ["Tin", "Gold"]),  # bought from, but not in the directory
    ]
    coverage = shown["coverage"]
    assert (coverage["parts_total"], coverage["parts_in_scope"], coverage["parts_covered"]) == (5, 3, 2)
    assert (coverage["suppliers_total"], coverage["suppliers_in_scope"], coverage["suppliers_covered"]) == (
        4,
        2,
        1,
    )
    assert coverage["spend_in_scope"] == 1550.5 and coverage["spend_covered"] == 1250.5
    assert "FY2024 (Apr 2024 - Mar 2025)" in coverage["statement"]
    book = openpyxl.load_workbook(plan_file)
    assert (
        book["Plan"]["B1"].value == 1
        and "containing Tantalum, Tin, Gold or Tungsten" in book["Plan"]["B6"].value
    )
    rows = list(book["Suppliers"].iter_rows(min_row=2, values_only=True))
    assert rows[1][0] == "S9" and "not in the supplier directory" in rows[1][6]
    start_args = (
        "campaign",
        "start",
        "--name",
        "C25",
        "--template",
        "CMRT",
        "--plan",
        str(plan_file),
        "--due",
        "+30d",
    )
    code, output = invoke(*start_args)
    assert "1 new case(s) are saved" in output, output  # Temporal is unreachable here
    code, output = invoke(*start_args)  # the retry the message asks for
    assert "0 new case(s) are saved" in output, output
    cases = json.loads(invoke("cases", "list", "--campaign", "C25", "--json")[1])
    assert [c["supplier_id"] for c in cases] == ["S1"]
    code, output = invoke(
        "campaign", "start", "--name", "C26", "--template", "CMRT", "--plan", str(plan_file), "--due", "+30d"
    )
    assert code == 2 and "started campaign C25 already" in output


def test_emrt_plan_takes_cobalt_suppliers_only(data: Path) -> None:
    (data / "p.csv").write_text(HEADER + LINES, encoding="utf-8")
    invoke("purchases", "import", str(data / "p.csv"))
    code, output = invoke("campaign", "plan", "--fiscal-year", "FY2025", "--template", "EMRT", "--json")
    shown = json.loads(output)
    assert [(s["supplier_id"], s["minerals"]) for s in shown["suppliers"]] == [("S2", ["Cobalt"])]
    assert shown["coverage"]["unmapped"] == ["Fastener"]


def test_a_trimmed_plan_starts_only_the_rows_left(data: Path) -> None:
    (data / "p.csv").write_text(
        HEADER + LINES + "S3,P-301,Solder bar,Solder,1,5,2024-08-02\n", encoding="utf-8"
    )
    invoke("purchases", "import", str(data / "p.csv"))
    plan_file = data / "plan.xlsx"
    invoke("campaign", "plan", "--fiscal-year", "2025", "--template", "CMRT", "--out", str(plan_file))
    book = openpyxl.load_workbook(plan_file)
    sheet = book["Suppliers"]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ["S1", "S3", "S9"]
    sheet.delete_rows(2)  # staff take S1 out
    book.save(plan_file)
    args = ["campaign", "start", "--name", "C9", "--plan", str(plan_file), "--due", "+30d"]
    code, output = invoke(*args, "--template", "EMRT")
    assert code == 2 and "is for CMRT, not EMRT" in output
    invoke(*args, "--template", "CMRT")
    cases = json.loads(invoke("cases", "list", "--campaign", "C9", "--json")[1])
    assert [c["supplier_id"] for c in cases] == ["S3"]
    code, output = invoke("campaign", "start", "--name", "C8", "--template", "CMRT", "--due", "+30d")
    assert code == 2 and "--suppliers FILE or --plan" in output
