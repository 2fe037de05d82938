"""From purchases to the published table on the real stack: two fiscal years of purchases for 50 suppliers,
both campaigns planned and run with known answers, and the annual report checked against hand counts."""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
from pathlib import Path

import openpyxl
from test_campaign_e2e import cli, stack  # noqa: F401  (the stack fixture)

from cli.demo_data import Answer, DemoSupplier, company_block, demo_suppliers, write_supplier_csv
from mrt.layouts import cmrt6, emrt2
from mrt.model import LookupEntry
from mrt.writer import Filling, Value, write_template
from worker.stack import Stack

# (CID, metal, name, country, RMAP status)
FACILITIES = (
    ("CID970001", "Tin", "Annual Tin One", "JAPAN", "Conformant"),
    ("CID970002", "Tin", "Annual Tin Two", "PERU", "Active"),
    ("CID970003", "Tin", "Annual Tin Three", "BOLIVIA", "Not Enrolled"),
    ("CID970011", "Tantalum", "Annual Tantalum One", "GERMANY", "Conformant"),
    ("CID970012", "Tantalum", "Annual Tantalum Two", "CHINA", "Not Enrolled"),
    ("CID970021", "Gold", "Annual Gold One", "SWITZERLAND", "Conformant"),
    ("CID970031", "Cobalt", "Annual Cobalt One", "FINLAND", "Conformant"),
    ("CID970032", "Cobalt", "Annual Cobalt Two", "CHINA", "Not Enrolled"),
    ("CID970041", "Mica", "Annual Mica One", "INDIA", "Active"),
)
FY25_TIN = ["CID970001", "CID970003"]
LOOKUP = [LookupEntry(metal, name, name, country, cid, "RMI") for cid, metal, name, country, _ in FACILITIES]


def purchases_csv(path: Path) -> Path:
    """FY2024 (plans FY2025) and FY2025 (plans FY2026) purchases of DEMO00000-DEMO00049 and one stranger."""
    lines = []
    for n in range(50):
        key = f"DEMO{n:05d}"
        if n < 30:
            lines.append((key, f"P{n}-S", "Lead-free solder", "Solder", 100.0, "2025-03-01"))
        if 20 <= n < 30:
            lines.append((key, f"P{n}-C", "Tantalum capacitor", "Capacitor", 50.0, "2025-04-01"))
        if 30 <= n < 40:
            lines.append((key, f"P{n}-B", "Battery pack", "Battery", 200.0, "2025-05-01"))
        if 40 <= n < 45:
            lines.append((key, f"P{n}-M", "Mica insulator sheet", "Mica insulator", 10.0, "2025-06-01"))
        if n >= 45:
            lines.append((key, f"P{n}-F", "Steel screw", "Fastener", 5.0, "2025-07-01"))
        if n < 10:
            lines.append((key, f"Q{n}-S", "Solder wire", "Solder", 80.0, "2024-03-01"))
        if 30 <= n < 34:
            lines.append((key, f"Q{n}-B", "Battery cell", "Battery", 150.0, "2024-05-01"))
    lines.append(("GHOST1", "PX-1", "Solder bar", "Solder", 30.0, "2025-02-01"))  # not in the directory
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Supplier ID", "Part number", "Description", "Commodity", "Spend", "Purchase date"])
        writer.writerows(lines)
    return path


def status_list(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Metal", "Smelter ID", "Standard Smelter Name", "Country", "RMAP Status"])
        writer.writerows(
            [metal, cid, name, country, status] for cid, metal, name, country, status in FACILITIES
        )
    return path


def cmrt_answer(
    supplier: DemoSupplier, cids: list[str], folder: Path, used: tuple[str, ...] = ("Tantalum", "Tin", "Gold")
) -> Path:
    """A CMRT answering Yes for the metals `used` (tungsten No when tin is not alone); the given smelters."""
    unused: dict[str, Value] = {} if used == ("Tin",) else {"Tungsten": "No"}  # tin alone: the rest blank
    answers: dict[str, dict[str, Value]] = {"Q1": {**unused, **dict.fromkeys(used, "Yes")}}
    answers["Q2"] = {**unused, **dict.fromkeys(used, "Yes")}
    for key, value in (
        ("Q3", "No"),
        ("Q4", "No"),
        ("Q5", "No"),
        ("Q6", "100%"),
        ("Q7", "Yes"),
        ("Q8", "Yes"),
    ):
        answers[key] = dict.fromkeys(used, value)
    company_answers: dict[str, Value] = dict.fromkeys("ACDFG", "Yes")
    company_answers.update({"B": "No", "E": "Yes, in conformance with IPC1755 (e.g., CMRT)", "H": "No"})
    fill = Filling(
        version="6.5",
        company=company_block(supplier, Answer.COMPLETE),
        answers=answers,
        company_answers=company_answers,
        smelters=[{"id_input": cid} for cid in cids],
        lookup=LOOKUP,
    )
    path = folder / f"{supplier.supplier_id}-cmrt.xlsx"
    write_template(cmrt6.LAYOUT, fill, path)
    return path


def emrt_answer(supplier: DemoSupplier, mineral: str, cids: list[str], folder: Path) -> Path:
    """A complete EMRT 2.1 declaring one mineral and the given processors."""
    yes: dict[str, Value] = {mineral: "Yes"}
    no: dict[str, Value] = {mineral: "No"}
    share: dict[str, Value] = {mineral: "100%"}
    answers = {"Q1": yes, "Q2": yes, "Q3": no, "Q4": no, "Q5": share, "Q6": yes, "Q7": yes}
    fill = Filling(
        version="2.1",
        company=company_block(supplier, Answer.COMPLETE),
        minerals=[mineral],
        answers=answers,
        company_answers={
            **dict.fromkeys("ADFG", "Yes"),
            "B": "No",
            "E": "Yes, in conformance with IPC1755 (e.g. EMRT)",
            f"C:{mineral}": "Yes",
        },
        smelters=[{"id_input": cid} for cid in cids],
        lookup=LOOKUP,
    )
    path = folder / f"{supplier.supplier_id}-emrt.xlsx"
    write_template(emrt2.LAYOUT_21, fill, path)
    return path


def run_campaign(running: Stack, tmp: Path, name: str, template: str, year: int) -> dict[str, int]:
    """Plan from the previous year's purchases, start exactly that scope; supplier id -> case id."""
    plan = tmp / f"{name}-plan.xlsx"
    cli(running, "campaign", "plan", "--fiscal-year", str(year), "--template", template, "--out", str(plan))
    start = ["campaign", "start", "--name", name, "--template", template, "--plan", str(plan), "--due", "+2d"]
    cli(running, *start)
    cases = json.loads(cli(running, "cases", "list", "--campaign", name, "--json"))
    deadline = time.monotonic() + 120
    while any(c["stage"] == "pending" for c in cases) and time.monotonic() < deadline:
        time.sleep(1)
        cases = json.loads(cli(running, "cases", "list", "--campaign", name, "--json"))
    return {c["supplier_id"]: c["id"] for c in cases}


def submit(running: Stack, case: int, file: Path) -> None:
    assert "is complete" in cli(running, "cases", "submit", str(case), str(file))


def test_purchases_to_the_published_table_for_two_fiscal_years(stack: Stack, tmp_path: Path) -> None:  # noqa: F811
    suppliers = demo_suppliers(50)
    by_key = {s.supplier_id: s for s in suppliers}
    cli(stack, "suppliers", "import", str(write_supplier_csv(suppliers, tmp_path / "suppliers.csv")))
    cli(stack, "smelters", "import", str(status_list(tmp_path / "statuses.csv")), "--as-of", "2026-01-05")
    imported = json.loads(cli(stack, "purchases", "import", str(purchases_csv(tmp_path / "p.csv")), "--json"))
    assert imported["fiscal_years"] == [2024, 2025] and imported["suppliers"] == 51
    answers = tmp_path / "answers"
    answers.mkdir()

    cmrt26 = run_campaign(stack, tmp_path, "CMRT-FY2026", "CMRT", 2026)
    emrt26 = run_campaign(stack, tmp_path, "EMRT-FY2026", "EMRT", 2026)
    cmrt25 = run_campaign(stack, tmp_path, "CMRT-FY2025", "CMRT", 2025)
    emrt25 = run_campaign(stack, tmp_path, "EMRT-FY2025", "EMRT", 2025)
    assert sorted(cmrt26) == [f"DEMO{n:05d}" for n in range(30)]  # GHOST1 is in scope but not surveyable
    assert sorted(emrt26) == [f"DEMO{n:05d}" for n in range(30, 45)]  # no 3TG parts; cobalt or mica only
    assert len(cmrt25) == 10 and len(emrt25) == 4

    # FY2026 CMRT: DEMO00000-23 answer (24 of 30). Tin-only suppliers also name the gold refiner,
    # which is not counted: nobody is in scope for gold.
    for n in range(24):
        key = f"DEMO{n:05d}"
        cids = ["CID970021", "CID970012"] + (
            ["CID970001"] + (["CID970002"] if n % 2 == 0 else []) if n < 20 else []
        )
        cids += ["CID970003", "CID970011"] if n >= 20 else []
        if n == 0:  # in scope for tin only, it answers for tin only: not asked about the others
            file = cmrt_answer(by_key[key], ["CID970001", "CID970002"], answers, used=("Tin",))
        else:
            file = cmrt_answer(by_key[key], cids, answers)
        submit(stack, cmrt26[key], file)
    # FY2026 EMRT: DEMO00030-35 (cobalt) and DEMO00040-41 (mica) answer: 8 of 15.
    for n in [*range(30, 36), 40, 41]:
        key = f"DEMO{n:05d}"
        if n < 40:
            file = emrt_answer(
                by_key[key], "Cobalt", ["CID970031"] + (["CID970032"] if n % 2 else []), answers
            )
        else:
            file = emrt_answer(by_key[key], "Mica", ["CID970041"], answers)
        submit(stack, emrt26[key], file)
    # FY2025: 5 of 10 CMRT suppliers answer (tin one and three); 2 of 4 EMRT suppliers (cobalt one).
    for n in range(5):
        key = f"DEMO{n:05d}"
        (answers / "fy25").mkdir(exist_ok=True)
        submit(
            stack,
            cmrt25[key],
            cmrt_answer(by_key[key], [*FY25_TIN, "CID970021", "CID970012"], answers / "fy25"),
        )
    for n in (30, 31):
        key = f"DEMO{n:05d}"
        submit(stack, emrt25[key], emrt_answer(by_key[key], "Cobalt", ["CID970031"], answers / "fy25"))

    today = dt.date.today().isoformat()
    report = json.loads(
        cli(stack, "report", "annual", "--fiscal-year", "2025", "--fiscal-year", "2026", "--json")
    )
    got = {
        (c["fiscal_year"], c["group"]): (
            c["suppliers_in_scope"],
            c["responded"],
            c["smelters"],
            c["conformant"],
            c["active"],
            c["as_of"],
        )
        for c in report["columns"]
    }
    # By hand: FY2026 3TG smelters are tin One (conformant), Two (active), Three, tantalum One
    # (conformant), Two: 5, of which 2 conformant and 1 active; cobalt One (conformant), Two, mica One
    # (active): 3. FY2025: tin One and Three; cobalt One.
    assert got == {
        (2025, "3TG"): (10, 5, 2, 1, 0, today),
        (2025, "Cobalt/mica"): (4, 2, 1, 1, 0, today),
        (2026, "3TG"): (30, 24, 5, 2, 1, today),
        (2026, "Cobalt/mica"): (15, 8, 3, 1, 1, today),
    }
    shares = {
        (c["fiscal_year"], c["group"]): (c["response_rate"], c["conformant_share"]) for c in report["columns"]
    }
    assert shares[(2026, "3TG")] == (24 / 30, 2 / 5) and shares[(2026, "Cobalt/mica")] == (8 / 15, 1 / 3)
    coverage = {(c["fiscal_year"], c["group"]): c["coverage"] for c in report["columns"]}
    # FY2026 3TG: 41 of 61 parts bought in FY2025 hold tin or tantalum (GHOST1 too), from 31 of 51 suppliers.
    assert "(41 of 61 parts)" in coverage[(2026, "3TG")] and "(31 of 51 suppliers" in coverage[(2026, "3TG")]
    assert "Surveyed: 30 supplier(s)" in coverage[(2026, "3TG")]
    assert "(15 of 51 suppliers" in coverage[(2026, "Cobalt/mica")]
    assert "during FY2024" in coverage[(2025, "3TG")]
    book = tmp_path / "annual.xlsx"
    cli(stack, "report", "annual", "--fiscal-year", "FY2025", "--fiscal-year", "FY2026", "--xlsx", str(book))
    ws = openpyxl.load_workbook(book)["Annual report"]
    assert [ws.cell(row=3, column=c).value for c in (2, 4)] == ["FY2025", "FY2026"]
    assert [ws.cell(row=4, column=c).value for c in range(2, 6)] == ["3TG", "Cobalt/mica"] * 2
    assert (ws["A6"].value, ws["D6"].value, ws["D7"].value) == ("Response", 0.8, 0.4)
