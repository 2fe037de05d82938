"""Every layout generation: a file written by mrt.writer reads back as the same declaration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from layout_kit import VERSIONS

from mrt.layout import Layout
from mrt.layouts.registry import ALL_LAYOUTS
from mrt.model import NOT_LISTED, LookupEntry
from mrt.reader import read_file
from mrt.writer import Filling, write_template

CHOSEN = {"EMRT": ["Nickel", "Cobalt", "Mica"], "AMRT": ["Zinc", "Aluminum", "Silver"]}
EFFECTIVE = dt.date(2025, 1, 31)


def _minerals(layout: Layout) -> list[str]:
    return sorted(CHOSEN[layout.family]) if layout.mineral_cells else list(layout.minerals)


def _filling(layout: Layout) -> Filling:
    minerals = _minerals(layout)
    metal = minerals[0]
    columns = {name for name, _ in layout.smelters.columns}
    smelters: list[dict[str, object]] = [{"metal": metal, "lookup": "Refinery One", "country": "PERU"}]
    smelters.append({"metal": metal, "lookup": NOT_LISTED, "name": "Own Smelter", "country": "CHILE"})
    if "id_input" in columns:
        smelters.append({"id_input": "CID000102"})
    return Filling(
        version=VERSIONS[layout.generation],
        language="de",
        company={
            f.key: EFFECTIVE if f.key == "effective_date" else f"  {f.key} text\t" for f in layout.company
        },
        minerals=list(CHOSEN.get(layout.family, [])) if layout.mineral_cells else [],
        answers={
            q.key: {
                m: (q.choices or ("Yes",))[i % len(q.choices or ("Yes",))] for i, m in enumerate(minerals)
            }
            for q in layout.questions
        },
        company_answers={
            (f"{cq.key}:{m}" if cq.per_mineral else cq.key): cq.choices[0]
            for cq in layout.company_questions
            for m in (minerals if cq.per_mineral else [""])
        },
        company_comments={
            cq.key: "https://example.com/policy" for cq in layout.company_questions if cq.comment_cell
        },
        smelters=[{k: v for k, v in row.items() if k in columns} for row in smelters],  # type: ignore[misc]
        products=[{"number": "P-1", "name": "Widget"}],
        mines=[{"metal": metal, "smelter_name": "Refinery One", "mine_name": "Mine A", "country": "PERU"}],
        lookup=[
            LookupEntry(metal, "Refinery One", "Refinery One", "JAPAN", "CID000101", "RMI"),
            LookupEntry(metal, "Refinery Two", "Refinery Two", "KOREA", "CID000102", "RMI"),
        ],
    )


@pytest.mark.parametrize("layout", ALL_LAYOUTS, ids=[layout.generation for layout in ALL_LAYOUTS])
def test_written_template_reads_back(tmp_path: Path, layout: Layout) -> None:
    path = tmp_path / f"{layout.generation}.xlsx"
    filling = _filling(layout)
    write_template(layout, filling, path)
    decl = read_file(path)

    assert (decl.family, decl.version, decl.layout.generation) == (
        layout.family,
        filling.version,
        layout.generation,
    )
    assert decl.language == "de"
    for f in layout.company:
        if f.key != "effective_date":
            assert decl.company[f.key].value == f"{f.key} text"  # trimmed, raw untouched
            assert decl.company[f.key].raw == f"  {f.key} text\t"
    assert decl.effective_date == EFFECTIVE
    assert decl.minerals == _minerals(layout)
    for key, by_mineral in filling.answers.items():
        assert {m: f.value for m, f in decl.mineral_answers[key].items()} == {
            m: v for m, v in by_mineral.items() if m in decl.mineral_answers[key]
        }
    assert {k: f.value for k, f in decl.company_answers.items()} == filling.company_answers
    assert all(f.value == "https://example.com/policy" for f in decl.company_comments.values())

    by_lookup = decl.smelters[0]
    has_lookup = layout.lookup_sheet is not None
    assert (by_lookup.smelter_id, by_lookup.country) == (
        ("CID000101", "JAPAN") if has_lookup else (None, "PERU")
    )
    not_listed = decl.smelters[1]
    assert (not_listed.name, not_listed.country, not_listed.smelter_id) == ("Own Smelter", "CHILE", None)
    if len(decl.smelters) > 2 and has_lookup:  # a CID typed in column A fills the rest from the look-up
        assert (decl.smelters[2].metal, decl.smelters[2].country) == (_minerals(layout)[0], "KOREA")
    assert [(p.number, p.name) for p in decl.products] == [("P-1", "Widget")]
    if layout.mines:
        assert [(m.mine_name, m.country) for m in decl.mines] == [("Mine A", "PERU")]
