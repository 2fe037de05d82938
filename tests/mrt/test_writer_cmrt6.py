"""Writer -> reader round trip for CMRT 6: what a test or the demo writes is what `read_file` sees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from mrt.layouts import cmrt6
from mrt.model import NOT_LISTED, LookupEntry
from mrt.reader import read_file
from mrt.writer import Filling, write_template

LOOKUP = [
    LookupEntry("Tungsten", "Alias W One", "Standard W One", "JAPAN", "CID000001", "RMI", None, "Town", None),
    LookupEntry("Tin", "Alias Sn", "Standard Sn", "PERU", "CID000002", "RMI"),
]


def _filling() -> Filling:
    return Filling(
        version="6.4",
        language="ja",
        company={"name": "Example Parts KK", "scope": "A. Company", "effective_date": dt.date(2024, 5, 1)},
        answers={"Q1": {"Tungsten": "Yes", "Tin": "No"}, "Q2": {"Tungsten": "Yes"}},
        company_answers={"A": "Yes", "B": "Yes"},
        company_comments={"B": "https://example.com/policy"},
        smelters=[
            {"id_input": "CID000001"},
            {"metal": "Tin", "lookup": "Alias Sn"},
            {
                "row": 40,
                "metal": "Tungsten",
                "lookup": NOT_LISTED,
                "name": '=HYPERLINK("x")',
                "country": "PERU",
            },
        ],
        products=[{"number": "P-1", "name": "Widget"}],
        lookup=LOOKUP,
    )


def test_round_trip_reads_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "cmrt.xlsx"
    write_template(cmrt6.LAYOUT, _filling(), path)
    decl = read_file(path)
    assert (decl.family, decl.version, decl.language) == ("CMRT", "6.4", "ja")
    assert decl.company["name"].value == "Example Parts KK"
    assert decl.effective_date == dt.date(2024, 5, 1)
    assert decl.answer("intentional", "Tungsten") == "Yes"
    assert decl.answer("intentional", "Tin") == "No"
    assert decl.answer("remains", "Gold") is None
    assert decl.company_comments["B"].value == "https://example.com/policy"
    assert [s.row for s in decl.smelters] == [5, 6, 40]  # a gap does not end the list
    by_id = decl.smelters[0]
    assert (by_id.metal, by_id.smelter_id, by_id.country, by_id.city) == (
        "Tungsten",
        "CID000001",
        "JAPAN",
        "Town",
    )
    by_name = decl.smelters[1]
    assert (by_name.smelter_id, by_name.standard_name, by_name.country) == (
        "CID000002",
        "Standard Sn",
        "PERU",
    )
    not_listed = decl.smelters[2]
    assert (not_listed.smelter_id, not_listed.country) == (None, "PERU")
    assert [(p.number, p.name) for p in decl.products] == [("P-1", "Widget")]
    assert len(decl.lookup) == 2


def test_supplier_text_is_never_written_as_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "cmrt.xlsx"
    write_template(cmrt6.LAYOUT, _filling(), path)
    cell = openpyxl.load_workbook(path)["Smelter List"]["D40"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("x")'
    assert read_file(path).smelters[2].name == '=HYPERLINK("x")'
