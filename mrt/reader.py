"""Read a template workbook into a Declaration, in-process (trusted callers and the parse child)."""

from __future__ import annotations

import re
from pathlib import Path

from mrt.detect import identify
from mrt.gate import Limits, inspect
from mrt.isolation import ParsePool, default_pool
from mrt.layout import Layout, TableLayout
from mrt.layouts.common import OTHER_MINERAL, lookup_table, question_slots
from mrt.model import (
    NOT_IDENTIFIED,
    NOT_LISTED,
    Declaration,
    Field,
    LookupEntry,
    MineRow,
    ProductRow,
    SmelterRow,
)
from mrt.workbook import Book, Sheet, column_index, open_book, parse_date, split_cell, text


def _field(sheet: Sheet | None, name: str, cell: str) -> Field:
    raw = sheet.raw(cell) if sheet else None
    return Field(name, cell, text(raw), raw)


def mineral_slots(layout: Layout, sheet: Sheet | None) -> list[tuple[str, int]]:
    """(mineral, question row index) in the template's order: fixed, or chosen in the scope cells."""
    if not layout.mineral_cells:
        return [(mineral, i) for i, mineral in enumerate(layout.minerals)]
    chosen = []
    for cell in layout.mineral_cells:
        value = sheet.value(cell) if sheet else None
        if value == OTHER_MINERAL and layout.mineral_other_rows and sheet:
            row, col = split_cell(cell)
            value = text(sheet.at(row + layout.mineral_other_rows, col))
        if value:
            chosen.append(value)
    return question_slots(chosen)


def _is_footer(value: object) -> bool:
    return isinstance(value, str) and (value.startswith("©") or value.startswith("A" * 40))


def table_rows(sheet: Sheet | None, table: TableLayout) -> list[tuple[int, dict[str, object]]]:
    """(Excel row, column letter -> raw value) of every non-empty row of a list sheet."""
    if sheet is None:
        return []
    letters = [letter for _, letter in table.columns]
    indexes = [column_index(letter) for letter in letters]
    out = []
    for row in range(table.first_row - 1, min(table.last_row, sheet.last_row)):
        cells = sheet.row_values(row, indexes)
        if all(v is None for v in cells):
            continue  # most of the 2,500 rows: nothing to look at
        if any(_is_footer(v) for v in cells):
            break  # the template's copyright line (and filler below it) ends every list
        if any(text(v) for v in cells):
            out.append((row + 1, dict(zip(letters, cells, strict=True))))
    return out


def _record(table: TableLayout, values: dict[str, object]) -> dict[str, str | None]:
    return {name: text(values.get(letter)) for name, letter in table.columns}


def read_lookup(book: Book, layout: Layout) -> list[LookupEntry]:
    """The file's own smelter reference list (Smelter Look-up, or Standard Smelter Names)."""
    table = lookup_table(layout)
    if table is None:
        return []
    entries = []
    for _, values in table_rows(book.sheet(table.sheet), table):
        rec = _record(table, values)
        metal, alias = rec.get("metal"), rec.get("alias")
        if metal and alias:
            entries.append(
                LookupEntry(
                    metal=re.sub(r"\s*\(\w+\)$", "", metal),  # 2.00 writes "Gold (Au)"
                    alias=alias,
                    standard_name=rec.get("standard_name"),
                    country=rec.get("country"),
                    smelter_id=rec.get("smelter_id"),
                    source=rec.get("source"),
                    street=rec.get("street"),
                    city=rec.get("city"),
                    state=rec.get("state"),
                )
            )
    return entries


# Values the formulas show when nothing matched; never a real smelter datum.
_NOT_A_VALUE = {"#N/A", "Enter smelter details", "Unknown", "0"}
_SMELTER_INPUTS = ("id_input", "metal", "lookup", "name", "country")


def _usable(value: str | None) -> str | None:
    if value is None or value in _NOT_A_VALUE or value.startswith("#"):
        return None
    return value


def _special(lookup: str | None) -> str | None:
    """The look-up value, with "Smelter not listed"/"not yet identified" in the template's spelling."""
    for special in (NOT_LISTED, NOT_IDENTIFIED):
        if lookup and lookup.casefold() == special.casefold():
            return special
    return lookup


def _key(metal: str | None, name: str | None) -> tuple[str, str]:
    return ((metal or "").casefold(), (name or "").casefold())


class LookupIndex:
    """The file's Smelter Look-up indexed like its MATCH formulas: by CID and by metal + alias."""

    def __init__(self, entries: list[LookupEntry]) -> None:
        self.by_id: dict[str, LookupEntry] = {}
        self.by_alias: dict[tuple[str, str], LookupEntry] = {}
        for e in entries:
            if e.smelter_id:
                self.by_id.setdefault(e.smelter_id.upper(), e)
            self.by_alias.setdefault(_key(e.metal, e.alias), e)


def derive_smelter(row: int, rec: dict[str, str | None], index: LookupIndex) -> SmelterRow:
    """One Smelter List row with the auto-filled columns recomputed from its inputs."""
    typed = {k: _usable(v) for k, v in rec.items()}
    id_input = typed.get("id_input")
    entry = index.by_id.get(id_input.upper()) if id_input else None
    metal, lookup = typed.get("metal"), _special(rec.get("lookup"))
    country: str | None = None
    if entry is not None:  # Option A: a CID in column A fills B, C, E, F, G, I, J
        metal, lookup = entry.metal, entry.alias
    elif lookup in (NOT_LISTED, NOT_IDENTIFIED):  # Option C: typed name and country
        country = typed.get("country")
        if lookup == NOT_LISTED:  # the template still matches metal + typed name
            entry = index.by_alias.get(_key(metal, rec.get("name")))
    elif lookup:
        entry = index.by_alias.get(_key(metal, lookup))
    if entry is not None and lookup != NOT_LISTED:
        country = _usable(entry.country)
    elif entry is None and lookup != NOT_IDENTIFIED:
        # Unmatched: what the file shows, unless it is the formula's error value (_usable).
        country = country or typed.get("country")
    return SmelterRow(
        row=row,
        metal=metal,
        lookup=lookup,
        name=rec.get("name"),
        country=country,
        smelter_id=(entry.smelter_id if entry else None) or id_input or typed.get("smelter_id"),
        id_input=rec.get("id_input"),
        standard_name=_usable(entry.standard_name) if entry else None,
        source=entry.source if entry else _usable(rec.get("source")),
        street=entry.street if entry else None,
        city=entry.city if entry else None,
        state=entry.state if entry else None,
        contact_name=rec.get("contact_name"),
        contact_email=rec.get("contact_email"),
        next_steps=rec.get("next_steps"),
        mine_name=rec.get("mine_name"),
        mine_country=rec.get("mine_country"),
        recycled=rec.get("recycled"),
        comments=rec.get("comments"),
    )


def read_smelters(book: Book, layout: Layout, lookup: list[LookupEntry]) -> list[SmelterRow]:
    """Every Smelter List row with an input, gaps included, derived from the file's own look-up."""
    table = layout.smelters
    index = LookupIndex(lookup)
    out = []
    for row, values in table_rows(book.sheet(table.sheet), table):
        rec = _record(table, values)
        if not any(_usable(rec.get(k)) for k in _SMELTER_INPUTS if k in rec):
            continue
        smelter = derive_smelter(row, rec, index)
        smelter.raw = dict(values)
        out.append(smelter)
    return out


def _answers(decl: Declaration, sheet: Sheet | None, slots: list[tuple[str, int]]) -> None:
    layout, name = decl.layout, decl.layout.declaration_sheet
    for q in layout.questions:
        decl.mineral_answers[q.key] = {
            mineral: _field(sheet, name, q.cells[i]) for mineral, i in slots if i < len(q.cells)
        }
    for cq in layout.company_questions:
        if cq.per_mineral:
            for mineral, i in slots:
                if i < len(cq.cells):
                    decl.company_answers[f"{cq.key}:{mineral}"] = _field(sheet, name, cq.cells[i])
        else:
            decl.company_answers[cq.key] = _field(sheet, name, cq.cell)
        if cq.comment_cell:
            decl.company_comments[cq.key] = _field(sheet, name, cq.comment_cell)


def read_book(book: Book) -> Declaration:
    """Read an opened workbook into a Declaration (Unreadable when it is not a supported template)."""
    ident = identify(book)
    layout = ident.layout
    sheet = book.sheet(layout.declaration_sheet)
    decl = Declaration(
        family=ident.family,
        version=ident.version,
        layout=layout,
        language=ident.language,
        macro_enabled=book.macro_enabled,
    )
    decl.company = {f.key: _field(sheet, layout.declaration_sheet, f.cell) for f in layout.company}
    if "effective_date" in decl.company:
        decl.effective_date = parse_date(decl.company["effective_date"].raw)
    slots = mineral_slots(layout, sheet)
    decl.minerals = [mineral for mineral, _ in slots]
    _answers(decl, sheet, slots)
    decl.lookup = read_lookup(book, layout)
    decl.smelters = read_smelters(book, layout, decl.lookup)
    if layout.products:
        decl.products = [
            ProductRow(row=row, **_record(layout.products, values))  # type: ignore[arg-type]
            for row, values in table_rows(book.sheet(layout.products.sheet), layout.products)
        ]
    if layout.mines:
        decl.mines = [
            MineRow(row=row, **_record(layout.mines, values))  # type: ignore[arg-type]
            for row, values in table_rows(book.sheet(layout.mines.sheet), layout.mines)
        ]
    return decl


def read_file(path: Path | str, macro_enabled: bool = False) -> Declaration:
    """Read a template file in this process: no gate, no isolation; for trusted files and the child."""
    return read_book(open_book(path, macro_enabled))


def read(path: Path | str, *, pool: ParsePool | None = None, limits: Limits | None = None) -> Declaration:
    """Read an untrusted upload: stdlib gate first, then the parse in a warm, memory-limited child."""
    report = inspect(path, limits)
    return (pool or default_pool()).call(read_file, str(path), report.macro_enabled)
