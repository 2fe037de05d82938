"""AMRT 1.2 / 1.21 Smelter List: metal, name and country typed in A-C, no CID input, no look-up."""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from layout_kit import preserve_spaces

from mrt.check import check
from mrt.layouts import amrt1
from mrt.model import Declaration
from mrt.reader import read_file
from risk.assess import assess
from risk.registry import Registry

BLANKS = ("rmi-amrt-1.21-blank-en.xlsx", "rmi-amrt-1.2-blank-zh.xlsx")
ROW = {
    "A5": "Titanium",
    "B5": "Kyoto Titanium Works",
    "C5": "JAPAN",
    "D5": "CID009999",
    "E5": "Our audit",
    "F5": "1 Example Street",
    "G5": "Kyoto",
    "I5": "A. Person",
    "L5": "Mine One",
    "O5": "a comment",
}


@cache
def _blank(blank: Path) -> openpyxl.Workbook:
    """The blank loaded once (loading takes seconds): Titanium alone in scope, used (Q1 "Yes")."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", ".* extension is not supported", UserWarning)
        wb = openpyxl.load_workbook(blank)
    declaration = wb["Declaration"]
    for cell in amrt1.MINERAL_CELLS:  # 1.2 pre-fills example minerals
        declaration[cell] = None
    declaration["D12"], declaration["D28"] = "Titanium", "Yes"  # Q1 of the only mineral
    return wb


def _filled(blank: Path, tmp_path: Path, cells: dict[str, str]) -> Declaration:
    """The blank with these Smelter List cells typed, saved by openpyxl and read."""
    wb = _blank(blank)
    ws = wb["Smelter List"]
    for cell, value in cells.items():
        ws[cell] = value
    target = tmp_path / f"{len(list(tmp_path.iterdir()))}-{blank.name}"
    wb.save(target)
    for cell in cells:
        ws[cell] = None
    preserve_spaces(target)
    return read_file(target)


@pytest.mark.parametrize("name", BLANKS)
def test_a_typed_row_reads_column_for_column(realworld: Path, tmp_path: Path, name: str) -> None:
    decl = _filled(realworld / name, tmp_path, ROW)
    assert decl.layout.smelters == amrt1.SMELTER_LIST_12
    [row] = decl.smelters
    assert (row.metal, row.name, row.country, row.smelter_id) == (
        "Titanium",
        "Kyoto Titanium Works",
        "JAPAN",
        "CID009999",
    )
    assert row.id_input is None and row.lookup is None
    assert (row.source, row.street, row.city, row.contact_name, row.mine_name, row.comments) == (
        "Our audit",
        "1 Example Street",
        "Kyoto",
        "A. Person",
        "Mine One",
        "a comment",
    )
    codes = {i.code for i in check(decl)}
    assert "missing-smelter-metal" not in codes and "invalid-choice" not in codes
    assert "metal-without-smelters" not in codes


def _smelters_missing(decl: Declaration) -> list[object]:
    return [i.params.get("mineral") for i in check(decl) if i.params.get("kind") == "smelters"]


def test_the_checker_counts_a_row_only_with_name_and_country(realworld: Path, tmp_path: Path) -> None:
    blank = realworld / BLANKS[0]
    if not blank.exists():
        pytest.skip("the AMRT 1.21 blank is not present")
    without_country = {k: v for k, v in ROW.items() if k != "C5"}
    assert _smelters_missing(_filled(blank, tmp_path, without_country)) == ["Titanium"]
    # ISBLANK: a country of spaces is not blank, so the template counts the row.
    spaces = {**without_country, "C5": "   "}
    assert _smelters_missing(_filled(blank, tmp_path, spaces)) == []
    assert _smelters_missing(_filled(blank, tmp_path, ROW)) == []


def test_a_repeated_typed_smelter_is_a_duplicate(realworld: Path, tmp_path: Path) -> None:
    blank = realworld / BLANKS[0]
    if not blank.exists():
        pytest.skip("the AMRT 1.21 blank is not present")
    again = {"A6": "Titanium", "B6": "kyoto titanium works", "C6": "Japan"}
    cells = {k: v for k, v in ROW.items() if k != "D5"} | again
    issues = [i for i in check(_filled(blank, tmp_path, cells)) if i.code == "duplicate-smelter"]
    assert [(i.cell, i.params.get("first_row")) for i in issues] == [("A6", "5")]


@pytest.mark.parametrize("name", BLANKS)
def test_a_rows_findings_point_at_the_amrt_columns_the_supplier_typed(
    realworld: Path, tmp_path: Path, name: str
) -> None:
    typed = {**ROW, "A6": "Titanium", "B6": "Unlisted Titanium Co", "C6": "JAPAN"}  # row 6: no CID
    decl = _filled(realworld / name, tmp_path, typed)
    found = assess(decl, Registry.from_lookup([])).findings  # an empty registry: nothing matches
    cells = {(f.sheet, f.cell, f.value) for f in found if f.sheet == "Smelter List"}
    assert cells == {("Smelter List", "D5", "CID009999"), ("Smelter List", "B6", "Unlisted Titanium Co")}
