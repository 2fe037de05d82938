"""Official blanks filled the way tools other than Excel fill them (openpyxl: formulas kept, no cached
values), and the same files carrying what Excel would cache in the formula cells the reader sees.

The cached values are computed here from the template's own formulas and sheets (the title from the
translation sheet `L`, the Smelter List's look-up columns by the CID typed in column A), with openpyxl
and without any of `mrt`'s reading code, so the two files differ only in what Excel would add.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from mrt.layout import Layout
from mrt.layouts import registry
from mrt.layouts.common import OTHER_MINERAL, lookup_table, question_slots
from mrt.model import NOT_LISTED

BLANK_NAME = re.compile(r"rmi-(cmrt|emrt|crt|amrt)-[0-9.]+-blank-\w+\.xlsx")
# ISO 639-1 code of each word a language label of `L`'s first row may hold.
LANGUAGE_WORDS = {
    "english": "en",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "français": "fr",
    "português": "pt",
    "deutsch": "de",
    "español": "es",
    "italiano": "it",
    "türkçe": "tr",
}
COMPANY: dict[str, Any] = {  # the contact's phone left out: every Checker counts it
    "name": "Example Components Ltd",
    "scope": "A. Company",
    "contact_name": "Contact Person",
    "contact_email": "contact@example.com",
    "authorizer": "Authorizing Person",
    "authorizer_email": "authorizer@example.com",
    "effective_date": dt.datetime(2025, 1, 31),
}
POLICY_URL = "https://example.com/policy"
OWN_REFINERY = ("Own Refinery Example", "Japan")


def language_code(label: str) -> str:
    """The ISO code of a label such as "日本語 Japanese" or "italiano"."""
    words = unicodedata.normalize("NFKC", label).casefold().split()
    return next(LANGUAGE_WORDS[w] for w in words if w in LANGUAGE_WORDS)


def official_blanks(folder: Path) -> list[Path]:
    """Every official RMI blank in the folder (rmi-<family>-<version>-blank-<language>.xlsx)."""
    return sorted(p for p in folder.glob("rmi-*-blank-*.xlsx") if BLANK_NAME.fullmatch(p.name))


@dataclass
class Filled:
    """A blank filled once with openpyxl, and what Excel computes for its formula cells."""

    family: str
    version: str  # as the file states it in Declaration!J3
    languages: list[str]  # the D3 list: `L`'s first row from column D
    titles: dict[str, str]  # language label -> Declaration!D2 in that language
    path: Path  # saved by openpyxl: formulas without values
    sheets: list[str]  # in workbook order
    cached: dict[tuple[str, str], object] = field(default_factory=dict)  # (sheet, cell) -> value
    smelter_rows: int = 0


def _stated_version(ws: Worksheet) -> str:
    m = re.search(r"Revision\s*([0-9.]+[a-z]?)", str(ws["J3"].value))
    assert m, "every official blank states its revision in Declaration!J3"
    return m.group(1)


def _translations(wb: openpyxl.Workbook) -> tuple[list[str], dict[str, str]]:
    table = wb["L"]
    header = [c.value for c in table[1]]
    languages = [str(v) for v in header[3:] if v]
    row = next(r for r in table.iter_rows(values_only=True) if r[1] == "Declaration" and r[2] == "D2")
    return languages, {label: str(row[3 + i]) for i, label in enumerate(languages)}


def _chosen_minerals(wb: openpyxl.Workbook, layout: Layout, lookup_metals: list[str]) -> list[str]:
    """Choose minerals in the scope cells of EMRT 2 / AMRT 1.3; keep AMRT 1.2's pre-filled ones."""
    ws = wb[layout.declaration_sheet]
    if layout.generation.startswith("emrt-2"):
        ws["G12"] = "(Delete Graphite)"
    elif layout.mineral_other_rows:
        cells = layout.mineral_cells
        ws[cells[0]], ws[cells[1]], ws[cells[2]] = lookup_metals[0], OTHER_MINERAL, lookup_metals[1]
        other = f"{cells[1][0]}{int(cells[1][1:]) + layout.mineral_other_rows}"
        ws[other] = "Gallium"
    chosen = [ws[c].value for c in layout.mineral_cells]
    if layout.mineral_other_rows:
        chosen = ["Gallium" if v == OTHER_MINERAL else v for v in chosen]
    return [str(v) for v in chosen if v]


def _answer(question_index: int, key: str, mineral_index: int, choices: tuple[str, ...]) -> str | None:
    if key == "Q1":
        return "No" if mineral_index == 1 else "Yes"
    if key == "Q2" and mineral_index == 2:
        return "Yes "  # the template's = does not take it for Yes
    if question_index == 4 and mineral_index == 0:
        return None  # left blank: the Checker counts it
    return choices[0]


def _fill_declaration(wb: openpyxl.Workbook, layout: Layout, minerals: list[str]) -> None:
    ws = wb[layout.declaration_sheet]
    for spec in layout.company:
        if spec.key in COMPANY:
            ws[spec.cell] = COMPANY[spec.key]
    slots = question_slots(minerals) if layout.mineral_cells else list(zip(minerals, range(9), strict=False))
    for qi, q in enumerate(layout.questions):
        for mi, (_, row) in enumerate(slots):
            if row < len(q.cells):
                ws[q.cells[row]] = _answer(qi, q.key, mi, q.choices)
    for cq in layout.company_questions[:-1]:  # the last one left blank
        for cell in (
            [cq.cells[row] for _, row in slots if row < len(cq.cells)] if cq.per_mineral else [cq.cell]
        ):
            ws[cell] = cq.choices[0]
        if cq.comment_cell and cq.topic == "policy_public":
            ws[cq.comment_cell] = POLICY_URL


def _lookup_rows(wb: openpyxl.Workbook, layout: Layout) -> list[tuple[Any, ...]]:
    table = lookup_table(layout)
    if table is None or table.sheet not in wb.sheetnames:
        return []
    return [tuple(r[:9]) for r in wb[table.sheet].iter_rows(min_row=table.first_row, values_only=True)]


def _excel_eq(a: object, b: object) -> bool:
    return isinstance(a, str) and isinstance(b, str) and a.casefold() == b.casefold()


def _smelter_cache(row: int, cid: str, rows: list[tuple[Any, ...]]) -> dict[str, object]:
    """What the CMRT 6-style formulas in B, C, E-J show for a CID typed in column A."""
    by_id = next(r for r in rows if _excel_eq(r[4], cid))  # B, C: INDEX/MATCH on the look-up's CIDs
    metal, standard = by_id[0], by_id[2] or ""
    # V: MATCH(B & C, look-up J = metal & alias): the row whose alias is the standard name, if any.
    hit = next((r for r in rows if _excel_eq(f"{r[0]}{r[1]}", f"{metal}{standard}")), None)

    def at(i: int) -> object:  # IF(ISERROR(V), "", OFFSET(...)); OFFSET of an empty cell shows 0
        return "" if hit is None else (hit[i] if hit[i] is not None else 0)

    return {
        f"B{row}": metal,
        f"C{row}": standard,
        f"E{row}": "" if hit is None else str(hit[3] or ""),  # &"" keeps it text
        f"F{row}": at(4),
        f"G{row}": at(5),
        f"H{row}": at(6),
        f"I{row}": at(7),
        f"J{row}": at(8),
    }


def _fill_smelters(wb: openpyxl.Workbook, layout: Layout, minerals: list[str], filled: Filled) -> None:
    ws = wb[layout.smelters.sheet]
    sheet = layout.smelters.sheet
    rows = _lookup_rows(wb, layout)
    if not rows:  # AMRT 1.2 lists metal, name and country in A-C, no look-up
        ws["A5"], ws["B5"], ws["C5"] = minerals[0], *OWN_REFINERY
        codes = {str(r[1]).casefold(): r[0] for r in wb["C"].iter_rows(min_row=2, values_only=True) if r[1]}
        filled.cached[(sheet, "Q5")] = codes.get(OWN_REFINERY[1].casefold(), "Unknown")  # the country code
        filled.smelter_rows = 1
        return
    with_id = [m for m in minerals if any(r[0] == m and r[4] for r in rows)][:2]
    excel_row = 5
    for metal in with_id:
        cid = next(str(r[4]) for r in rows if r[0] == metal and r[4])
        ws[f"A{excel_row}"] = cid
        for cell, value in _smelter_cache(excel_row, cid, rows).items():
            filled.cached[(sheet, cell)] = value
        excel_row += 1
    # Option C: metal and "Smelter not listed" chosen, name and country typed (B, C, E overwrite formulas);
    # the typed name is no look-up alias, so V is #N/A: G asks for details, F-J stay empty.
    ws[f"B{excel_row}"], ws[f"C{excel_row}"] = with_id[0], NOT_LISTED
    ws[f"D{excel_row}"], ws[f"E{excel_row}"] = OWN_REFINERY
    filled.cached[(sheet, f"G{excel_row}")] = "Enter smelter details"
    for column in "FHIJ":
        filled.cached[(sheet, f"{column}{excel_row}")] = ""
    filled.smelter_rows = excel_row - 4


def _cache_lookup_formulas(wb: openpyxl.Workbook, layout: Layout, filled: Filled) -> None:
    """AMRT 1.3's look-up ends with "not listed" rows for each chosen mineral it lists no smelter of:
    =IF(COUNTIF($A$5:$A$90, <choice>) > 0, "", <name typed 3 rows below>)."""
    table = lookup_table(layout)
    if table is None or table.sheet not in wb.sheetnames:
        return
    ws, declaration = wb[table.sheet], wb[layout.declaration_sheet]
    listed = {
        str(r[0]).casefold() for r in _lookup_rows(wb, layout) if r[0] and not str(r[0]).startswith("=")
    }
    for (cell,) in ws.iter_rows(min_row=table.first_row, max_col=1):
        refs = re.findall(r"Declaration!\$([A-Z]+)\$([0-9]+)", str(cell.value))
        if not (isinstance(cell.value, str) and cell.value.startswith("=") and len(refs) == 2):
            continue
        chosen, typed = (declaration[f"{col}{row}"].value for col, row in refs)
        in_list = chosen is not None and str(chosen).casefold() in listed
        filled.cached[(table.sheet, cell.coordinate)] = "" if in_list else (0 if typed is None else typed)


def _load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():  # openpyxl drops the blanks' x14 extensions, as it says
        warnings.filterwarnings("ignore", ".* extension is not supported", UserWarning)
        return openpyxl.load_workbook(path)


def fill_blank(blank: Path, target: Path) -> Filled:
    """Fill company, answers, minerals and smelter rows into an official blank and save it with openpyxl."""
    wb = _load(blank)
    family = blank.name.split("-")[1].upper()
    version = _stated_version(wb["Declaration"])
    languages, titles = _translations(wb)
    layout = registry.layout_for(family, version)
    filled = Filled(family, version, languages, titles, target, wb.sheetnames)
    lookup_metals = list(dict.fromkeys(str(r[0]) for r in _lookup_rows(wb, layout) if r[0] and r[4]))
    minerals = list(layout.minerals) or _chosen_minerals(wb, layout, lookup_metals)
    _fill_declaration(wb, layout, minerals)
    _fill_smelters(wb, layout, minerals, filled)
    _cache_lookup_formulas(wb, layout, filled)
    wb.save(target)
    return filled


# --- variants written into the saved package: the language chosen, Excel's values added ---


def _set_cell(xml: str, ref: str, value: object, keep_formula: bool) -> str:
    pattern = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>(?P<inner>.*?)</c>)', re.DOTALL)
    m = pattern.search(xml)
    assert m, f"{ref} is not in the sheet"
    attrs = re.sub(r'\s*t="[^"]*"', "", m.group("attrs")).rstrip(" /")
    formula = re.search(r"<f[ >].*?</f>|<f/>", m.group("inner") or "", re.DOTALL)
    head = formula.group(0) if keep_formula and formula else ""
    if isinstance(value, int | float):
        cell = f'<c r="{ref}"{attrs} t="n">{head}<v>{value}</v></c>'
    elif keep_formula:
        cell = f'<c r="{ref}"{attrs} t="str">{head}<v>{escape(str(value))}</v></c>'
    else:
        cell = f'<c r="{ref}"{attrs} t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'
    return xml[: m.start()] + cell + xml[m.end() :]


def variant(filled: Filled, language: str, cached: bool, target: Path) -> Path:
    """The filled file with `language` chosen in D3 and, when `cached`, Excel's values in the formula
    cells (D2's title in that language, the Smelter List's look-up columns, AMRT 1.3's look-up rows)."""
    edits: dict[str, dict[str, tuple[object, bool]]] = {"Declaration": {"D3": (language, False)}}
    if cached:
        edits["Declaration"]["D2"] = (filled.titles[language], True)
        for (sheet, cell), value in filled.cached.items():
            edits.setdefault(sheet, {})[cell] = (value, True)
    with (
        zipfile.ZipFile(filled.path) as source,
        zipfile.ZipFile(target, "w") as out,
    ):
        # openpyxl writes the sheets as xl/worksheets/sheet1.xml, sheet2.xml, ... in workbook order
        by_part = {f"xl/worksheets/sheet{filled.sheets.index(s) + 1}.xml": c for s, c in edits.items()}
        for item in source.infolist():
            data = source.read(item)
            if item.filename in by_part:
                xml = data.decode("utf-8")
                for ref, (value, keep_formula) in by_part[item.filename].items():
                    xml = _set_cell(xml, ref, value, keep_formula)
                data = xml.encode("utf-8")
            out.writestr(item, data, zipfile.ZIP_STORED)  # stored: the variants are many, and only read
    return target


def resave(source: Path, target: Path) -> Path:
    """A file loaded and saved again with openpyxl: every cached formula value dropped."""
    shutil.copyfile(source, target)
    _load(target).save(target)
    return target
