"""Read a template workbook into a Declaration, in-process (trusted callers and the parse child)."""

from __future__ import annotations

import re
from pathlib import Path

from mrt.detect import identify
from mrt.gate import Limits, check_file, inspect
from mrt.isolation import ParsePool, default_pool
from mrt.layout import Layout, TableLayout
from mrt.layouts.common import OTHER_MINERAL, lookup_table, question_slots
from mrt.layouts.registry import ALL_LAYOUTS
from mrt.lean import LeanSpec
from mrt.model import Declaration, Field, LookupEntry, MineRow, ProductRow, SmelterRow, Unreadable
from mrt.smelter_rows import SMELTER_INPUTS, LookupIndex, derive_smelter, usable
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
        if cells.count(None) == len(cells):
            continue  # most of the 2,500 rows: nothing to look at (counted in C)
        if any(_is_footer(v) for v in cells):
            break  # the template's copyright line (and filler below it) ends every list
        if any(text(v) for v in cells):
            out.append((row + 1, dict(zip(letters, cells, strict=True))))
    return out


def _record(table: TableLayout, values: dict[str, object]) -> dict[str, str | None]:
    return {name: text(values.get(letter)) for name, letter in table.columns}


# Look-ups already read in this process, by their sheet part's (CRC-32, size) and table: files of
# one template release carry byte-identical look-ups (the sheet itself is parsed once too, see
# mrt.workbook.REFERENCE_SHEETS). Entries are frozen; each caller gets its own list.
_LOOKUPS: dict[tuple[tuple[int, int], TableLayout], tuple[LookupEntry, ...]] = {}
_MAX_LOOKUPS = 32


def read_lookup(book: Book, layout: Layout) -> list[LookupEntry]:
    """The file's own smelter reference list (Smelter Look-up, or Standard Smelter Names)."""
    table = lookup_table(layout)
    if table is None:
        return []
    sheet = book.sheet(table.sheet)
    fingerprint = book.fingerprint(table.sheet)
    key = (fingerprint, table) if fingerprint else None
    if key in _LOOKUPS:
        return list(_LOOKUPS[key])
    entries = []
    for _, values in table_rows(sheet, table):
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
    if key:
        if len(_LOOKUPS) >= _MAX_LOOKUPS:
            _LOOKUPS.pop(next(iter(_LOOKUPS)))
        _LOOKUPS[key] = tuple(entries)
    return entries


def read_smelters(book: Book, layout: Layout, lookup: list[LookupEntry]) -> list[SmelterRow]:
    """Every Smelter List row with an input, gaps included, derived from the file's own look-up."""
    table = layout.smelters
    index = LookupIndex(lookup)
    out = []
    for row, values in table_rows(book.sheet(table.sheet), table):
        rec = _record(table, values)
        if not any(usable(rec.get(k)) for k in SMELTER_INPUTS if k in rec):
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


def _lean_specs() -> dict[str, LeanSpec]:
    """What any layout reads of each list sheet: the rows above its first data row, and its columns."""
    specs: dict[str, LeanSpec] = {}
    for layout in ALL_LAYOUTS:
        for table in (layout.smelters, layout.products, layout.mines):
            if table is None:
                continue
            columns = frozenset(letter.encode() for _, letter in table.columns)
            seen = specs.get(table.sheet, LeanSpec(table.first_row, columns))
            specs[table.sheet] = LeanSpec(min(seen.first_row, table.first_row), seen.columns | columns)
    return specs


# Every cell any reader reads on a list sheet is in these specs (detection reads header rows, and
# columns A and B of the Smelter List: `mrt.layouts.registry._metal_in_column_a`).
LEAN_SHEETS = _lean_specs()


def read_file(path: Path | str, macro_enabled: bool = False, limits: Limits | None = None) -> Declaration:
    """Read a template file in this process, gated part by part but not isolated: for trusted files
    and the parse child."""
    return read_book(open_book(path, macro_enabled, limits, LEAN_SHEETS))


def read(path: Path | str, *, pool: ParsePool | None = None, limits: Limits | None = None) -> Declaration:
    """Read an untrusted upload: size and type checked here, gate and parse in a warm, memory-capped child."""
    check_file(path, limits)
    pool = pool or default_pool()
    try:
        return pool.call(read_file, str(path), False, limits)
    except Unreadable as exc:
        if exc.code != "parser-crashed":
            raise
        try:  # e.g. a range too large to hold: the exact scan says so
            pool.call(inspect, str(path), limits)
        except Unreadable as why:
            if why.code not in ("parser-crashed", "timeout"):  # the scan's own failure explains nothing
                raise why from exc
        raise
