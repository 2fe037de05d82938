"""Every real template in ../shared/realworld: family, version, language and layout; real smelter lists."""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from mrt.isolation import ParsePool
from mrt.layout import Layout
from mrt.model import Declaration, Unreadable
from mrt.reader import read, read_file
from mrt.workbook import open_book

# file -> (family, version as stated, language, layout generation)
FILES = {
    "rmi-cmrt-6.01-blank-zh.xlsx": ("CMRT", "6.01", "zh", "cmrt-6"),
    "rmi-cmrt-6.22-blank-zh.xlsx": ("CMRT", "6.22", "zh", "cmrt-6"),
    "rmi-cmrt-6.31-blank-zh.xlsx": ("CMRT", "6.31", "zh", "cmrt-6"),
    "rmi-cmrt-6.4-blank-en.xlsx": ("CMRT", "6.4", "en", "cmrt-6"),
    "rmi-cmrt-6.5-blank-en.xlsx": ("CMRT", "6.5", "en", "cmrt-6"),
    "rmi-cmrt-6.5-blank-zh.xlsx": ("CMRT", "6.5", "zh", "cmrt-6"),
    "rmi-emrt-1.11-blank-zh.xlsx": ("EMRT", "1.11", "zh", "emrt-1"),
    "rmi-emrt-1.2-blank-zh.xlsx": ("EMRT", "1.2", "zh", "emrt-1"),
    "rmi-emrt-1.3-blank-zh.xlsx": ("EMRT", "1.3", "zh", "emrt-1"),
    "rmi-emrt-2.0-blank-en.xlsx": ("EMRT", "2.0", "en", "emrt-2"),
    "rmi-emrt-2.1-blank-zh.xlsx": ("EMRT", "2.1", "zh", "emrt-2.1"),
    "rmi-crt-2.21-blank-zh.xlsx": ("CRT", "2.2", "zh", "crt-2"),
    "rmi-amrt-1.2-blank-zh.xlsx": ("AMRT", "1.2", "zh", "amrt-1.2"),
    "rmi-amrt-1.21-blank-en.xlsx": ("AMRT", "1.21", "en", "amrt-1.2"),
    "rmi-amrt-1.3-blank-zh.xlsx": ("AMRT", "1.3", "zh", "amrt-1.3"),
    "cfsi-cmrt-3.01-sample-green.xlsx": ("CMRT", "3.01", "en", "cmrt-3"),
    "cfsi-cmrt-3.01-sample-validation-needed.xlsx": ("CMRT", "3.01", "en", "cmrt-3"),
    "cfsi-cmrt-3.01-sample-filled-encrypted.xls": ("CMRT", "3.01", "en", "cmrt-3"),
    "eicc-cmrt-2.00-sample-green.xlsx": ("CMRT", "2", "en", "cmrt-2.00"),
    "eicc-cmrt-2.02-sample-green.xlsx": ("CMRT", "2.02", "en", "cmrt-2"),
    "eicc-cmrt-2.03a-sample-high-risk.xlsx": ("CMRT", "2.03a", "en", "cmrt-2"),
}
# The six real supplier answers: smelter rows they filled (domain.md section 4).
FILLED = {
    "filled-cmrt-6.4-central-glass-tungsten.xlsx": 4,
    "filled-cmrt-6.4-sk-specialty-wf6.xlsx": 2,
    "filled-cmrt-6.4-honeywell-hem.xlsx": 40,
    "filled-cmrt-6.4-jx-advanced-metals.xlsx": 27,
    "filled-cmrt-6.4-pkg-de00-anonymous.xlsx": 67,
    "filled-cmrt-6.4-emd-merck-wf6.xlsx": 1,
}
_CHECKER_REF = re.compile(r"Declaration!\$?([A-Z]{1,2})\$?([0-9]{1,4})")


@cache
def _read(path: Path) -> Declaration:
    """Each real file is parsed once for all the tests of this module."""
    return read_file(path)


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsePool]:
    p = ParsePool(size=2)
    yield p
    p.close()


@pytest.mark.parametrize("name", sorted(FILES))
def test_family_version_language_and_layout(realworld: Path, name: str) -> None:
    decl = _read(realworld / name)
    assert (decl.family, decl.version, decl.language, decl.layout.generation) == FILES[name]


def test_cmrt_1_is_recognised_as_unsupported(realworld: Path) -> None:
    with pytest.raises(Unreadable) as info:
        read_file(realworld / "eicc-cmrt-1.00-blank.xlsx")
    assert info.value.code == "unsupported-version"


def test_the_encrypted_legacy_xls_is_decrypted(realworld: Path) -> None:
    decl = _read(realworld / "cfsi-cmrt-3.01-sample-filled-encrypted.xls")
    assert len(decl.smelters) == 40
    assert {s.metal for s in decl.smelters} == {"Gold", "Tin", "Tantalum", "Tungsten"}
    # one row names a smelter missing from the file's Standard Smelter Names: no id to derive
    assert sum(bool(re.fullmatch(r"CID\d{6}", s.smelter_id or "")) for s in decl.smelters) == 39


@pytest.mark.parametrize("name", sorted(FILLED))
def test_real_filled_cmrt_smelters_derive_their_own_ids(realworld: Path, name: str, pool: ParsePool) -> None:
    decl = read(realworld / name, pool=pool)
    assert (decl.family, decl.version, decl.macro_enabled) == ("CMRT", "6.4", False)
    assert len(decl.smelters) == FILLED[name]
    assert len({e.smelter_id for e in decl.lookup if e.smelter_id}) == 368  # the 6.4 list
    for row in decl.smelters:  # derived from A/B/C and the file's look-up, compared with cached F
        assert row.smelter_id == row.raw["F"], row.row
        assert row.standard_name


def test_whitespace_is_trimmed_but_raw_kept(realworld: Path) -> None:
    decl = read_file(realworld / "filled-cmrt-6.4-honeywell-hem.xlsx")
    name = decl.company["name"]
    assert isinstance(name.raw, str) and name.raw != name.value and name.raw.strip() == name.value
    assert decl.effective_date is not None  # typed as text in this file, still understood


def _sheet_xml(path: Path, sheet: str) -> str:
    """The XML of one worksheet, found through the workbook's relationships."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(rId\d+)"', workbook)
        assert rid, f"no {sheet} sheet"
        target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="/?(?:xl/)?([^"]+)"', rels) or re.search(
            rf'Target="/?(?:xl/)?([^"]+)"[^>]*Id="{rid.group(1)}"', rels
        )
        assert target
        return z.read(f"xl/{target.group(1)}").decode()


def _checker_refs(path: Path) -> set[str]:
    """Every Declaration cell the template's own Checker sheet formulas reference."""
    formulas = re.findall(r"<f[^>]*>([^<]*)</f>", _sheet_xml(path, "Checker"))
    return {f"{col}{row}" for f in formulas for col, row in _CHECKER_REF.findall(f)}


def _mapped_cells(layout: Layout, slots: int) -> set[str]:
    """The cells a layout says the Checker looks at (required company fields, answers, URL)."""
    cells = {f.cell for f in layout.company if f.required}
    for q in layout.questions:
        cells.update(q.cells[:slots])
    for cq in layout.company_questions:
        cells.update(cq.cells[:slots] if cq.per_mineral else (cq.cell,))
        if cq.comment_cell and cq.topic == "policy_public":
            cells.add(cq.comment_cell)
    return cells


@pytest.mark.parametrize("name", [n for n in sorted(FILES) if n.endswith(".xlsx")])
def test_layout_cells_are_the_ones_the_templates_checker_reads(realworld: Path, name: str) -> None:
    layout = _read(realworld / name).layout
    slots = {"emrt-2": 6, "emrt-2.1": 6}.get(layout.generation, len(layout.minerals) or 10)
    missing = _mapped_cells(layout, slots) - _checker_refs(realworld / name)
    assert not missing, f"{layout.generation}: cells not in the Checker: {sorted(missing)}"


def _cell_xy(cell: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", cell)
    assert m, cell
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return col, int(m.group(2))


def _list_ranges(path: Path) -> list[tuple[str, str]]:
    """(sqref, list formula) of every list validation on the Declaration sheet (plain and x14 forms)."""
    xml = _sheet_xml(path, "Declaration")
    plain = re.findall(r'<dataValidation [^>]*?sqref="([^"]+)"[^>]*>\s*<formula1>([^<]+)</formula1>', xml)
    x14 = [
        (sqref, formula)
        for formula, sqref in re.findall(
            r"<x14:formula1>\s*<xm:f>([^<]+)</xm:f>.*?<xm:sqref>([^<]+)</xm:sqref>", xml, re.DOTALL
        )
    ]
    return plain + x14


Rect = tuple[int, int, int, int]


@cache
def _dropdowns(path: Path) -> list[tuple[list[Rect], frozenset[str]]]:
    """Each Declaration list validation that points at a range on the sheet: its areas and answers."""
    sheet = open_book(path).sheet("Declaration")
    assert sheet is not None
    out = []
    for sqref, formula in _list_ranges(path):
        m = re.fullmatch(r"(\$[A-Z]+\$\d+):(\$[A-Z]+\$\d+)", formula.strip())
        if formula.startswith('"'):  # an inline list, as in the 2.0x templates
            values = html.unescape(formula.strip('"')).split(",")
        elif m:
            (fx, fy), (lx, ly) = _cell_xy(m.group(1)), _cell_xy(m.group(2))
            values = [sheet.at(r - 1, c - 1) for r in range(fy, ly + 1) for c in range(fx, lx + 1)]
        else:
            continue
        answers = frozenset(
            "100%" if v in (1, 1.0) else str(v).strip() for v in values if v not in (None, "")
        )
        rects = []
        for area in sqref.split():
            first, _, last = area.partition(":")
            (x0, y0), (x1, y1) = _cell_xy(first), _cell_xy(last or first)
            rects.append((x0, y0, x1, y1))
        out.append((rects, answers))
    return out


def _offered(path: Path, cell: str) -> frozenset[str] | None:
    """The answers the template's dropdown offers in `cell` (None when it has no such list)."""
    x, y = _cell_xy(cell)
    for rects, answers in _dropdowns(path):
        if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in rects):
            return answers
    return None


@pytest.mark.parametrize("name", [n for n in sorted(FILES) if n.endswith(".xlsx")])
def test_layout_accepts_every_answer_the_templates_dropdowns_offer(realworld: Path, name: str) -> None:
    decl = _read(realworld / name)
    slots = len(decl.layout.minerals) or 1
    asked = [(q.key, q.choices, q.cells[:slots]) for q in decl.layout.questions]
    for cq in decl.layout.company_questions:
        asked.append((cq.key, cq.choices, cq.cells[:slots] if cq.per_mineral else (cq.cell,)))
    scope = next(f.cell for f in decl.layout.company if f.key == "scope")
    asked.append(("scope", decl.layout.scope_choices, (scope,)))
    checked = 0
    for key, choices, cells in asked:
        for cell in cells:
            offered = _offered(realworld / name, cell)
            if offered is None or not choices:
                continue
            checked += 1
            assert offered <= {c.strip() for c in choices}, f"{key} {cell}: {offered - set(choices)}"
    assert checked >= len(decl.layout.questions) * slots


@pytest.mark.parametrize("name", ["rmi-emrt-2.0-blank-en.xlsx", "rmi-amrt-1.21-blank-en.xlsx"])
def test_chosen_minerals_are_in_the_order_the_question_rows_show(realworld: Path, name: str) -> None:
    decl = _read(realworld / name)
    sheet = open_book(realworld / name).sheet("Declaration")
    assert sheet is not None
    labels = [sheet.value(f"B{cell[1:]}") for cell in decl.layout.questions[0].cells[: len(decl.minerals)]]
    assert [(label or "").replace("(*)", "").strip() for label in labels] == decl.minerals
    assert len(decl.minerals) in (6, 9)
