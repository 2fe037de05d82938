"""Smelter List rows are derived like the template's formulas, never from cached formula results."""

from __future__ import annotations

from pathlib import Path

from mrt.layouts import cmrt6
from mrt.model import NOT_IDENTIFIED, NOT_LISTED, Declaration, LookupEntry
from mrt.reader import read_file
from mrt.writer import Filling, write_template

LOOKUP = [
    LookupEntry("Gold", "Gold Alias", "Gold Refinery Standard", "SWITZERLAND", "CID000201", "RMI"),
    LookupEntry(
        "Gold", "Gold Refinery Standard", "Gold Refinery Standard", "SWITZERLAND", "CID000201", "RMI"
    ),
    LookupEntry("Tin", "Tin Works", "Tin Works Standard", "BOLIVIA", "CID000202", "RMI"),
    LookupEntry("Tin", NOT_IDENTIFIED, "Unknown", "Unknown", None),
]


def _read(tmp_path: Path, smelters: list[dict[str, object]]) -> Declaration:
    path = tmp_path / "cmrt.xlsx"
    write_template(cmrt6.LAYOUT, Filling(version="6.5", smelters=smelters, lookup=LOOKUP), path)  # type: ignore[arg-type]
    return read_file(path)


def test_stale_cached_columns_are_ignored(tmp_path: Path) -> None:
    # F and E hold what another tool left behind; the look-up says otherwise.
    decl = _read(
        tmp_path, [{"metal": "Tin", "lookup": "Tin Works", "country": "PERU", "smelter_id": "CID999999"}]
    )
    row = decl.smelters[0]
    assert (row.smelter_id, row.country, row.standard_name) == ("CID000202", "BOLIVIA", "Tin Works Standard")
    assert row.raw["F"] == "CID999999"  # still there for the checker to compare


def test_error_values_and_placeholders_count_as_missing(tmp_path: Path) -> None:
    decl = _read(
        tmp_path,
        [
            {"metal": "Tin", "lookup": "No Such Alias", "country": "#N/A", "smelter_id": "#N/A"},
            {"metal": "Tin", "lookup": NOT_IDENTIFIED, "country": "Unknown"},
            {"source": "Enter smelter details", "smelter_id": "#N/A"},  # formulas only: no input at all
        ],
    )
    assert len(decl.smelters) == 2
    assert [(r.smelter_id, r.country) for r in decl.smelters] == [(None, None), (None, None)]


def test_not_listed_rows_keep_typed_name_and_country_in_any_case(tmp_path: Path) -> None:
    decl = _read(
        tmp_path,
        [
            {"metal": "Gold", "lookup": "smelter NOT listed", "name": "Family Refinery", "country": "GHANA"},
            {"metal": "Gold", "lookup": NOT_LISTED, "name": "Gold Refinery Standard", "country": "CHILE"},
        ],
    )
    first, second = decl.smelters
    assert (first.lookup, first.name, first.country, first.smelter_id) == (
        NOT_LISTED,
        "Family Refinery",
        "GHANA",
        None,
    )
    # The template still matches metal + typed name against the look-up (its MATCH(B&D) formula).
    assert (second.smelter_id, second.country) == ("CID000201", "CHILE")


def test_cid_in_column_a_fills_metal_and_name(tmp_path: Path) -> None:
    decl = _read(tmp_path, [{"id_input": "cid000201"}, {"id_input": "CID123456", "metal": "Gold"}])
    known, unknown = decl.smelters
    assert (known.metal, known.lookup, known.smelter_id, known.country) == (
        "Gold",
        "Gold Alias",
        "CID000201",  # as the look-up spells it, like the template's column F
        "SWITZERLAND",
    )
    assert (unknown.metal, unknown.smelter_id, unknown.standard_name) == ("Gold", "CID123456", None)
