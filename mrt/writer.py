"""Write a template workbook in a given layout from plain data (tests, demo answers, company roll-up)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from mrt.layout import Layout, TableLayout
from mrt.layouts.common import LANGUAGES, TITLES, lookup_table, question_slots
from mrt.model import LookupEntry

Value = str | int | float | dt.date | dt.datetime | None


@dataclass
class Filling:
    """What to write into a template: the supplier's answers as plain values, keyed like a Declaration."""

    version: str  # written to Declaration!J3 as "Revision <version>" (empty: no stamp)
    language: str = "English"  # as the D3 list shows it, or an ISO code ("ja")
    company: dict[str, Value] = field(default_factory=dict)  # COMPANY_KEYS -> value
    minerals: list[str] = field(default_factory=list)  # dynamic layouts: minerals chosen in scope
    answers: dict[str, dict[str, Value]] = field(default_factory=dict)  # "Q1" -> mineral -> answer
    answer_comments: dict[str, dict[str, Value]] = field(default_factory=dict)
    company_answers: dict[str, Value] = field(default_factory=dict)  # "A".., "C:<mineral>"
    company_comments: dict[str, Value] = field(default_factory=dict)  # "B" -> policy URL
    smelters: list[dict[str, Value]] = field(default_factory=list)  # SmelterRow field -> value
    products: list[dict[str, Value]] = field(default_factory=list)  # ProductRow field -> value
    mines: list[dict[str, Value]] = field(default_factory=list)  # MineRow field -> value
    lookup: list[LookupEntry] = field(default_factory=list)  # the file's own Smelter Look-up rows
    extra_cells: dict[tuple[str, str], Value] = field(default_factory=dict)  # (sheet, cell) -> value


def put(ws: Worksheet, cell: str, value: Value) -> None:
    """Write one value; strings always stay text, even when they look like a formula."""
    target = ws[cell]
    target.value = value
    if isinstance(value, str):
        target.data_type = "s"  # openpyxl would turn "=..." into a formula otherwise
    elif isinstance(value, dt.date):
        target.number_format = "DD-MMM-YYYY"


def _sheet(wb: Workbook, name: str) -> Worksheet:
    return wb[name] if name in wb.sheetnames else wb.create_sheet(name)


def _language_label(language: str) -> str:
    for label, code in LANGUAGES.items():
        if language == code:
            return label
    return language


def mineral_slots(layout: Layout, filling: Filling) -> list[tuple[str, int]]:
    """(mineral, question row index) as the template will order them."""
    if layout.mineral_cells:
        return question_slots(filling.minerals)
    return [(mineral, i) for i, mineral in enumerate(layout.minerals)]


def _write_table(wb: Workbook, table: TableLayout, rows: list[dict[str, Value]]) -> None:
    ws = _sheet(wb, table.sheet)
    letters = dict(table.columns)
    for key, letter in table.columns:  # field names as headers (the real labels are translated)
        if ws[f"{letter}{table.header_row}"].value is None:
            put(ws, f"{letter}{table.header_row}", key)
    for i, row in enumerate(rows):
        number = row.get("row")
        excel_row = int(number) if isinstance(number, int) else table.first_row + i
        for key, value in row.items():
            if key in letters and value is not None:
                put(ws, f"{letters[key]}{excel_row}", value)


def _write_declaration(wb: Workbook, layout: Layout, filling: Filling) -> None:
    ws = _sheet(wb, layout.declaration_sheet)
    put(ws, "D2", TITLES[layout.family])
    if filling.version:  # empty: leave the stamp out (files that state their revision elsewhere)
        put(ws, "J3", f"Revision {filling.version}\n")
    if layout.language_cell:
        put(ws, layout.language_cell, _language_label(filling.language))
    for company_field in layout.company:
        value = filling.company.get(company_field.key)
        if value is not None:
            put(ws, company_field.cell, value)
    for cell, mineral in zip(layout.mineral_cells, filling.minerals, strict=False):
        put(ws, cell, mineral)
    slots = mineral_slots(layout, filling)
    for question in layout.questions:
        for mineral, i in slots:
            if i >= len(question.cells):
                continue
            cell = question.cells[i]
            answer = filling.answers.get(question.key, {}).get(mineral)
            if answer is not None:
                put(ws, cell, answer)
            comment = filling.answer_comments.get(question.key, {}).get(mineral)
            if comment is not None:
                put(ws, question.comment_column + cell[1:], comment)
    for cq in layout.company_questions:
        if cq.per_mineral:
            for mineral, i in slots:
                answer = filling.company_answers.get(f"{cq.key}:{mineral}")
                if answer is not None and i < len(cq.cells):
                    put(ws, cq.cells[i], answer)
        elif (answer := filling.company_answers.get(cq.key)) is not None:
            put(ws, cq.cell, answer)
        comment = filling.company_comments.get(cq.key)
        if cq.comment_cell and comment is not None:
            put(ws, cq.comment_cell, comment)


def _write_lookup(wb: Workbook, layout: Layout, entries: list[LookupEntry]) -> None:
    table = lookup_table(layout)
    if table is None:
        return
    rows = [{f.name: getattr(e, f.name) for f in fields(LookupEntry)} for e in entries]
    _write_table(wb, table, rows)


def build_workbook(layout: Layout, filling: Filling) -> Workbook:
    """An openpyxl workbook with the layout's sheets and the filling's values, no formulas."""
    wb = Workbook()
    wb.active.title = "Revision"
    for name in ("Instructions", "Definitions"):
        wb.create_sheet(name)
    _write_declaration(wb, layout, filling)
    _write_table(wb, layout.smelters, filling.smelters)
    wb.create_sheet("Checker")
    if layout.mines is not None:
        _write_table(wb, layout.mines, filling.mines)
    if layout.products is not None:
        _write_table(wb, layout.products, filling.products)
    if layout.lookup_sheet:
        _sheet(wb, layout.lookup_sheet)
        _write_lookup(wb, layout, filling.lookup)
    for (sheet, cell), value in filling.extra_cells.items():
        put(_sheet(wb, sheet), cell, value)
    return wb


def write_template(layout: Layout, filling: Filling, target: Path | str | IO[bytes]) -> None:
    """Write the filling as an .xlsx file in the given layout."""
    build_workbook(layout, filling).save(target)
