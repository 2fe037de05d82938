"""The KPI table as a workbook or an HTML page (numbers as numbers, text never a formula)."""

from __future__ import annotations

import csv
import html
from pathlib import Path
from typing import BinaryIO, TextIO

from openpyxl import Workbook
from openpyxl.styles import Font

from mrt.writer import put
from reports.kpi import KpiReport, KpiRow

COLUMNS: tuple[tuple[str, str], ...] = (
    ("Minerals", "label"),
    ("Suppliers in scope", "suppliers_in_scope"),
    ("Responded", "responded"),
    ("Response rate", "response_rate"),
    ("Complete declarations", "complete"),
    ("Unique smelters identified", "smelters"),
    ("Conformant", "conformant"),
    ("Active", "active"),
    ("Other", "other"),
    ("Conformant share", "conformant_share"),
    ("Participating share", "participating_share"),
    ("Data gaps (rows)", "data_gaps"),
    ("Under corrective action", "corrective_action"),
)
RATIOS = frozenset({"response_rate", "conformant_share", "participating_share"})


def percent(value: float | None) -> str:
    """A ratio as text: 95.6%, or n/a when there was nothing to divide by."""
    return "n/a" if value is None else f"{value:.1%}"


def cells(row: KpiRow) -> list[str | int | float | None]:
    """The row's values in column order."""
    return [getattr(row, attr) for _, attr in COLUMNS]


def write_kpi_csv(report: KpiReport, out: TextIO) -> None:
    """The table as CSV: a header row, each row with its group, ratios as fractions, no formulas."""
    writer = csv.writer(out)
    writer.writerow(["Group", *(title for title, _ in COLUMNS)])
    for row in report.rows:
        writer.writerow([_text(row.group), *("" if v is None else _text(v) for v in cells(row))])


def _text(value: str | int | float) -> str | int | float:
    """A cell as CSV writes it: text starting like a formula gets a quote (spreadsheets run formulas)."""
    return f"'{value}" if isinstance(value, str) and value[:1] and value[0] in "=+-@" else value


def write_kpi_xlsx(report: KpiReport, path: Path | BinaryIO) -> None:
    """One sheet: the table, ratios formatted as percentages, the counting rules under it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "KPI"
    put(ws, "A1", f"Responsible minerals KPIs as of {report.as_of:%Y-%m-%d}")
    ws["A1"].font = Font(bold=True, size=13)
    for col, (title, _) in enumerate(COLUMNS, start=1):
        header = ws.cell(row=3, column=col)
        put(ws, header.coordinate, title)
        header.font = Font(bold=True)
    for r, row in enumerate(report.rows, start=4):
        for col, ((_, attr), value) in enumerate(zip(COLUMNS, cells(row), strict=True), start=1):
            cell = ws.cell(row=r, column=col)
            if isinstance(value, str):
                put(ws, cell.coordinate, value if row.metal is None else f"  {value}")
                cell.font = Font(bold=row.metal is None)
            else:
                cell.value = value
                if attr in RATIOS:
                    cell.number_format = "0.0%"
    start = 5 + len(report.rows)
    put(ws, f"A{start}", "How the numbers are counted")
    ws[f"A{start}"].font = Font(bold=True)
    for i, rule in enumerate(report.rules, start=start + 1):
        put(ws, f"A{i}", rule)
    ws.column_dimensions["A"].width = 22
    ws.freeze_panes = "B4"
    wb.save(path)


def kpi_html(report: KpiReport) -> str:
    """A self-contained HTML page with the table and its counting rules; every text escaped."""
    esc = html.escape
    head = "".join(f"<th>{esc(title)}</th>" for title, _ in COLUMNS)
    body = []
    for row in report.rows:
        tds = []
        for (_, attr), value in zip(COLUMNS, cells(row), strict=True):
            shown = percent(value) if attr in RATIOS else str(value)  # type: ignore[arg-type]
            tds.append(f"<td>{esc(shown)}</td>")
        kind = "group" if row.metal is None else "metal"
        body.append(f'<tr class="{kind}">{"".join(tds)}</tr>')
    rules = "".join(f"<li>{esc(rule)}</li>" for rule in report.rules)
    title = esc(f"Responsible minerals KPIs as of {report.as_of:%Y-%m-%d}")
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}"
        "td{text-align:right}td:first-child{text-align:left}tr.group{font-weight:bold}"
        "tr.metal td:first-child{padding-left:1.5em}</style></head>"
        f"<body><h1>{title}</h1><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        f"</table><h2>How the numbers are counted</h2><ul>{rules}</ul></body></html>"
    )
