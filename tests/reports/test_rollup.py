"""The company's own CMRT: union of the suppliers' smelters, derived answers, read back complete."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from campaign_kit import FORMULA_NAME, METALS, Builder, World, filling
from typer.testing import CliRunner

import mrt
from cli.main import app
from mrt.model import NOT_IDENTIFIED, NOT_LISTED
from mrt.reader import read_file

runner = CliRunner()
UNION = {"CID900001", "CID900002", "CID900003", "CID900004", "CID900005"}
PROFILE = {
    "company": {
        "name": "Buyer Electronics (fictitious)",
        "contact_name": "Compliance Desk",
        "contact_email": "minerals@buyer.example.test",
        "contact_phone": "+00 0000 0000",
        "authorizer": "Head of Compliance",
        "authorizer_email": "head@buyer.example.test",
    },
    "answers": {"A": "Yes", "B": "Yes", "C": "Yes", "D": "Yes", "H": "No"},
    "comments": {"B": "https://buyer.example.test/policy"},
}


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MINERALS_FILE_STORE_DIR", "MINERALS_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def rollup(world: World, out: Path, *extra: str, profile: dict[str, Any] | None = PROFILE) -> tuple[int, str]:
    data_dir = world.store.parent
    if profile is not None:
        (data_dir / "company.json").write_text(json.dumps(profile), encoding="utf-8")
    args = ["report", "rollup", "--data-dir", str(data_dir), "--campaign", "cmrt-2025", "--out", str(out)]
    result = runner.invoke(app, [*args, "--as-of", "2025-06-30", *extra])
    return result.exit_code, result.stdout


def test_generated_rollup_reads_back_complete_with_the_union_of_smelters(
    world: World, tmp_path: Path
) -> None:
    out = tmp_path / "our-cmrt.xlsx"
    code, text = rollup(world, out)
    assert code == 0, text
    decl = mrt.read(out)
    assert mrt.status(mrt.check(decl)) == "complete"
    assert {s.smelter_id for s in decl.smelters if s.smelter_id} == UNION
    assert [(s.metal, s.name, s.country) for s in decl.smelters if s.lookup == NOT_LISTED] == [
        ("Tin", FORMULA_NAME, "PERU")
    ]
    assert [s.metal for s in decl.smelters if s.lookup == NOT_IDENTIFIED] == ["Tungsten"]
    assert decl.company["name"].value == "Buyer Electronics (fictitious)"
    assert decl.effective_date == dt.date(2025, 6, 30)


def test_answers_follow_the_documented_rules(world: World, tmp_path: Path) -> None:
    out = tmp_path / "our-cmrt.xlsx"
    rollup(world, out)
    decl = read_file(out)
    answers = {
        topic: {m: decl.answer(topic, m) for m in METALS}
        for topic in (
            "intentional",
            "covered_countries",
            "recycled",
            "supplier_response",
            "all_smelters_identified",
            "all_info_reported",
        )
    }
    assert answers["intentional"] == dict.fromkeys(METALS, "Yes")
    # S2 sources gold from the covered countries; everyone else says No.
    assert answers["covered_countries"] == {"Tantalum": "No", "Tin": "No", "Gold": "Yes", "Tungsten": "No"}
    assert answers["recycled"] == dict.fromkeys(METALS, "No")
    assert answers["supplier_response"] == dict.fromkeys(METALS, "Greater than 50%")  # 3 of 5
    assert answers["all_smelters_identified"] == dict.fromkeys(METALS, "No")  # 2 of 5 complete
    assert answers["all_info_reported"] == dict.fromkeys(METALS, "Yes")
    assert decl.company_answer("survey") == "Yes, in conformance with IPC1755 (e.g., CMRT)"


def test_formula_text_from_a_supplier_is_written_as_text(world: World, tmp_path: Path) -> None:
    out = tmp_path / "our-cmrt.xlsx"
    rollup(world, out)
    ws = openpyxl.load_workbook(out)["Smelter List"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == FORMULA_NAME]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_without_a_company_profile_the_rollup_says_what_is_missing(world: World, tmp_path: Path) -> None:
    code, text = rollup(world, tmp_path / "our-cmrt.xlsx", profile=None)
    assert code == 1
    assert "incomplete" in text and "D8" in text


def test_official_blank_is_filled_in_place(world: World, tmp_path: Path, realworld: Path) -> None:
    blank = realworld / "rmi-cmrt-6.5-blank-en.xlsx"
    entry = next(e for e in read_file(blank).lookup if e.metal == "Gold" and e.smelter_id)
    b = Builder(world.session, world.store, tmp_path)
    survey = b.case(world.campaign, "S7", "accepted", dt.date(2025, 6, 2))
    fill = filling([{"id_input": entry.smelter_id}])
    fill.lookup.append(entry)
    b.upload(survey, fill, dt.date(2025, 6, 2), "complete", record=True)
    world.session.commit()
    out = tmp_path / "our-cmrt-official.xlsx"
    code, text = rollup(world, out, "--template", str(blank))
    assert code == 0, text
    decl = read_file(out)
    assert (decl.family, decl.version) == ("CMRT", "6.5")
    assert mrt.status(mrt.check(decl)) == "complete"
    assert {s.smelter_id for s in decl.smelters if s.smelter_id} == UNION | {entry.smelter_id}
    official = next(s for s in decl.smelters if s.smelter_id == entry.smelter_id)
    assert official.lookup == entry.alias  # known to the blank's own look-up
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == openpyxl.load_workbook(blank, read_only=True).sheetnames
    assert str(book["Smelter List"]["F5"].value).startswith("=")  # the template's formulas stay
    assert str(book["Checker"]["D2"].value).startswith("=")
    texts = [
        c
        for row in book["Smelter List"].iter_rows(min_row=5, max_row=20)
        for c in row
        if c.value == FORMULA_NAME
    ]
    assert len(texts) == 1 and texts[0].data_type == "s"
