"""Region-only sourcing answers (CRT, EMRT 1.x) raise sourcing findings; sister plants go to review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from mrt.layout import Layout
from mrt.layouts.cmrt6 import LAYOUT as CMRT6
from mrt.layouts.crt2 import LAYOUT as CRT2
from mrt.layouts.emrt1 import LAYOUT as EMRT1
from mrt.model import Declaration, LookupEntry, SmelterRow
from mrt.reader import read_file
from mrt.writer import Filling, Value, write_template
from risk import Facility, Registry, assess, match_row

AS_OF = dt.date(2025, 6, 30)
COMPANY: dict[str, Value] = {"name": "Example Metals Ltd", "scope": "A. Company"}
LOOKUP = [
    LookupEntry("Cobalt", "Cobalt Works", "Cobalt Works", "FINLAND", "CID900801", "RMI"),
    LookupEntry("Mica", "Mica Works", "Mica Works", "INDIA", "CID900802", "RMI"),
]


def sourcing(layout: Layout, tmp_path: Path, cahra: dict[str, str]) -> Declaration:
    """A declaration written by the project's writer: every mineral used, the CAHRA answers given."""
    minerals = list(layout.minerals)
    answers: dict[str, dict[str, Value]] = {}
    for q in layout.questions:
        answers[q.key] = {m: cahra.get(m, "No") if q.topic == "cahra" else q.choices[0] for m in minerals}
    answers[next(q.key for q in layout.questions if q.topic == "recycled")] = {m: "No" for m in minerals}
    filling = Filling(
        version={CRT2.generation: "2.2", CMRT6.generation: "6.4"}.get(layout.generation, "1.3"),
        company=dict(COMPANY),
        answers=answers,
        smelters=[{"metal": m, "lookup": f"{m} Works"} for m in minerals],
        lookup=LOOKUP,
    )
    path = tmp_path / f"{layout.generation}.xlsx"
    write_template(layout, filling, path)
    return read_file(path)


def sourcing_findings(decl: Declaration) -> list[tuple[str, str | None, str | None, str | None]]:
    result = assess(decl, Registry.from_lookup(decl.lookup, AS_OF))
    return [(f.code, f.metal, f.cell, f.value) for f in result.findings if f.code.startswith("sourcing-")]


YES_TO_COVERED = ("sourcing-covered-countries", "sourcing-cahra")


@pytest.mark.parametrize(
    ("layout", "mineral", "answer", "cell", "where"),
    [
        (CRT2, "Cobalt", "DRC or adjoining countries only", "D32", "the DRC or an adjoining country"),
        (EMRT1, "Cobalt", "DRC only", "D38", "the DRC"),
        (EMRT1, "Mica", "India and/or Madagascar only", "D39", "India and/or Madagascar"),
    ],
)
def test_region_only_answers_raise_the_sourcing_findings_of_a_covered_countries_yes(
    tmp_path: Path, layout: Layout, mineral: str, answer: str, cell: str, where: str
) -> None:
    """Every region answer raises what a CMRT "Yes" to the covered-countries question raises."""
    cmrt_yes = {code for code, *_ in sourcing_findings(sourcing(CMRT6, tmp_path, {}))}  # Q3 "Yes", Q4 "No"
    assert cmrt_yes == {"sourcing-covered-countries"}
    yes = sourcing_findings(sourcing(layout, tmp_path, {mineral: "Yes"}))
    assert yes == [("sourcing-cahra", mineral, cell, "Yes")]
    decl = sourcing(layout, tmp_path, {mineral: answer})
    region = sourcing_findings(decl)
    assert region == [(code, mineral, cell, answer) for code in YES_TO_COVERED]  # a cahra "Yes" too
    assert cmrt_yes <= {code for code, *_ in region}
    messages = [f.message for f in assess(decl, Registry.from_lookup(decl.lookup, AS_OF)).findings]
    assert f'You declare {mineral} sourced from {where} ("{answer}")' in " ".join(messages)
    assert sourcing_findings(sourcing(layout, tmp_path, {mineral: "No"})) == []


def test_region_answer_messages_name_the_region(tmp_path: Path) -> None:
    decl = sourcing(EMRT1, tmp_path, {"Cobalt": "DRC only"})
    result = assess(decl, Registry.from_lookup(decl.lookup, AS_OF))
    messages = [f.message for f in result.findings if f.code.startswith("sourcing-")]
    assert len(messages) == 2 and all('"DRC only"' in m and "Cobalt" in m for m in messages)
    assert {f.severity for f in result.findings if f.code.startswith("sourcing-")} == {"high"}


REALWORLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "realworld"


def test_official_emrt_blank_filled_with_openpyxl_raises_covered_findings_per_region(
    tmp_path: Path,
) -> None:
    blank = REALWORLD / "rmi-emrt-1.3-blank-zh.xlsx"
    if not blank.is_file():
        pytest.skip("shared/realworld is not available")
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(blank)
    ws = wb["Declaration"]
    for q in EMRT1.questions:
        for cell in q.cells:
            ws[cell] = q.choices[0]
    ws["D38"], ws["D39"] = "DRC only", "India and/or Madagascar only"
    path = tmp_path / "emrt-1.3-filled.xlsx"
    wb.save(path)
    assert sourcing_findings(read_file(path)) == [
        ("sourcing-covered-countries", "Cobalt", "D38", "DRC only"),
        ("sourcing-cahra", "Cobalt", "D38", "DRC only"),
        ("sourcing-covered-countries", "Mica", "D39", "India and/or Madagascar only"),
        ("sourcing-cahra", "Mica", "D39", "India and/or Madagascar only"),
    ]


# One company's plants: two gold refineries in different countries and a tin smelter.
SISTERS = Registry(
    {
        f.smelter_id: f
        for f in (
            Facility("CID901001", "Gold", "Northwind Metals Corporation", "JAPAN"),
            Facility("CID901002", "Tin", "Northwind Metals Corporation", "JAPAN"),
            Facility("CID901003", "Gold", "Northwind Metals (Suzhou) Co., Ltd.", "CHINA"),
            Facility("CID901004", "Tin", "Lone Tin Smelter", "PERU"),
        )
    },
    as_of=AS_OF,
)


NOT_LISTED = "Smelter not listed"


def row(metal: str | None, name: str | None = None, lookup: str = NOT_LISTED, **more: Any) -> SmelterRow:
    ids = (more.get("smelter_id"), more.get("id_input"))
    return SmelterRow(5, metal, lookup, name, more.get("country"), ids[0], id_input=ids[1])


@pytest.mark.parametrize(
    ("declared", "plants"),
    [
        # A typed company name, gold: the Japanese and the Chinese refinery.
        (row("Gold", "Northwind Metals Corporation", country="Japan"), {"CID901001", "CID901003"}),
        (row("Gold", "Northwind Metals", country="China"), {"CID901001", "CID901003"}),
        # No metal: the same name is a gold refinery and a tin smelter (and the Chinese plant).
        (row(None, lookup="Northwind Metals Corporation"), {"CID901001", "CID901002", "CID901003"}),
        (row(None, "Northwind Metals Corp"), {"CID901001", "CID901002", "CID901003"}),
    ],
)
def test_a_company_name_of_several_plants_goes_to_review(declared: SmelterRow, plants: set[str]) -> None:
    found = match_row(SISTERS, declared)
    assert found.review and found.matched_id in plants
    assert {c.smelter_id for c in found.candidates} == plants
    assert f"names {len(plants)} plants of one company" in (found.note or "")


def test_sister_plants_are_a_review_finding_never_a_silent_match() -> None:
    decl = Declaration("CMRT", "6.5", CMRT6)
    decl.smelters = [row("Gold", "Northwind Metals Corporation", country="Japan")]
    result = assess(decl, SISTERS)
    assert [(s.review, s.rmap_status) for s in result.smelters] == [(True, None)]
    assert [f.code for f in result.findings] == ["smelter-needs-review"]


def test_one_plant_or_a_template_pick_with_its_metal_still_matches() -> None:
    # The Suzhou plant's own name names only it; a look-up pick with its metal is what the template resolves.
    suzhou = match_row(SISTERS, row("Gold", "Northwind Metals (Suzhou) Co., Ltd.", country="China"))
    assert (suzhou.matched_id, suzhou.review) == ("CID901003", False)
    pick = match_row(SISTERS, row("Tin", lookup="Northwind Metals Corporation"))
    assert (pick.method, pick.matched_id, pick.review) == ("alias", "CID901002", False)
    lone = match_row(SISTERS, row("Tin", "Lone Tin Smelter", country="Peru"))
    assert (lone.matched_id, lone.review) == ("CID901004", False)


def test_a_cid_of_another_metal_stays_in_review_when_the_template_resolves_a_sister() -> None:
    # Column A holds the tin plant's CID, B says Gold: the template's MATCH gives the gold sister's CID.
    declared = row(
        "Gold", lookup="Northwind Metals Corporation", id_input="CID901002", smelter_id="CID901001"
    )
    found = match_row(SISTERS, declared)
    assert (found.method, found.matched_id, found.review) == ("id", "CID901001", True)
    assert "Tin facility" in (found.note or "")
