"""The consolidated smelter list of a campaign as a workbook: filters, frozen header, native charts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from mrt.writer import Value, put
from reports.scope import Scope
from reports.smelters import Consolidated, SmelterLine

STANDINGS = ("conformant", "active", "other")


def _table(ws: Worksheet, header: list[str], rows: list[list[Value]]) -> None:
    """Header in row 1 (bold, frozen, filtered), then the rows; text is always written as text."""
    for col, title in enumerate(header, start=1):
        cell = ws.cell(row=1, column=col)
        put(ws, cell.coordinate, title)
        cell.font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            if value is not None:
                put(ws, ws.cell(row=r, column=col).coordinate, value)
    ws.freeze_panes = "A2"
    last = ws.cell(row=max(1, len(rows) + 1), column=len(header)).coordinate
    ws.auto_filter.ref = f"A1:{last}"
    for col, title in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = max(12, len(title) + 2)


def sorted_lines(found: Consolidated) -> list[SmelterLine]:
    """Lines by metal, then smelter id."""
    return sorted(found.lines.values(), key=lambda line: (line.metal, line.smelter_id))


def responses_by_day(scope: Scope) -> list[tuple[dt.date, int]]:
    """(day, suppliers who had responded by the end of it), one point per day with a first upload."""
    days = Counter(c.responded_at.date() for c in scope.cases if c.responded_at)
    total, out = 0, []
    for day in sorted(days):
        total += days[day]
        out.append((day, total))
    return out


def _charts(ws: Worksheet, found: Consolidated, scope: Scope) -> None:
    metals = sorted({line.metal for line in found.lines.values()})
    put(ws, "A1", "Metal")
    for col, standing in enumerate(STANDINGS, start=2):
        put(ws, ws.cell(row=1, column=col).coordinate, standing.capitalize())
    for r, metal in enumerate(metals, start=2):
        put(ws, f"A{r}", metal)
        for col, standing in enumerate(STANDINGS, start=2):
            ws.cell(row=r, column=col).value = sum(
                line.metal == metal and line.standing == standing for line in found.lines.values()
            )
    bars = BarChart()
    bars.type, bars.grouping, bars.overlap = "col", "stacked", 100
    bars.title, bars.y_axis.title = "RMI conformance by metal", "Smelters"
    bars.add_data(
        Reference(ws, min_col=2, max_col=4, min_row=1, max_row=max(2, len(metals) + 1)), titles_from_data=True
    )
    bars.set_categories(Reference(ws, min_col=1, min_row=2, max_row=max(2, len(metals) + 1)))
    ws.add_chart(bars, "G2")
    points = responses_by_day(scope)
    put(ws, "A20", "Day")
    put(ws, "B20", "Suppliers responded")
    put(ws, "C20", "Response rate")
    in_scope = len({c.supplier.supplier_id for c in scope.cases}) or 1
    for r, (day, total) in enumerate(points, start=21):
        ws.cell(row=r, column=1, value=day).number_format = "YYYY-MM-DD"
        ws.cell(row=r, column=2, value=total)
        ws.cell(row=r, column=3, value=total / in_scope).number_format = "0.0%"
    line = LineChart()
    line.title, line.y_axis.title = "Responses over time", "Suppliers responded"
    last = max(21, 20 + len(points))
    line.add_data(Reference(ws, min_col=2, min_row=20, max_row=last), titles_from_data=True)
    line.set_categories(Reference(ws, min_col=1, min_row=21, max_row=last))
    ws.add_chart(line, "G20")


def write_smelter_book(found: Consolidated, scope: Scope, path: Path) -> None:
    """Smelters (one row per metal + CID), data gaps per supplier, and the charts sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Smelters"
    status_title = f"Status on {scope.as_of:%Y-%m-%d}"
    _table(
        ws,
        ["Metal", "Smelter ID", "Smelter name", "Country", status_title, "Counted as", "Suppliers naming it"],
        [
            [
                line.metal,
                line.smelter_id,
                line.name,
                line.country,
                line.status or "no status",
                line.standing,
                len(line.suppliers),
            ]
            for line in sorted_lines(found)
        ],
    )
    gaps = sorted(found.gaps, key=lambda g: (g.supplier_id, g.row))
    _table(
        wb.create_sheet("Data gaps"),
        ["Supplier ID", "Supplier", "Metal", "Smelter List row", "Gap", "Declared name", "Declared country"],
        [[g.supplier_id, g.supplier_name, g.metal, g.row, g.kind, g.name, g.country] for g in gaps],
    )
    _charts(wb.create_sheet("Charts"), found, scope)
    wb.save(path)
