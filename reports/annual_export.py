"""The annual report as HTML, XLSX or Markdown: rows as published, one column per fiscal year and group."""

from __future__ import annotations

import html
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mrt.writer import put
from reports.annual import AnnualColumn, AnnualReport
from reports.kpi_export import percent

TITLE = "Responsible minerals sourcing: annual results"
Cell = str | int | float | None
# (row label, value of a column, shown as a percentage)
PUBLISHED: tuple[tuple[str, Callable[[AnnualColumn], Cell], bool], ...] = (
    ("Assessment coverage", lambda c: c.coverage, False),
    ("Response", lambda c: c.row.response_rate, True),
    ("% of smelters/refiners RMI conformant", lambda c: c.row.conformant_share, True),
    ("% of smelters/refiners RMI conformant or active", lambda c: c.row.participating_share, True),
    ("(as of)", lambda c: f"{c.as_of:%Y-%m-%d}", False),
)
DETAILS: tuple[tuple[str, Callable[[AnnualColumn], Cell], bool], ...] = (
    ("Suppliers in scope", lambda c: c.row.suppliers_in_scope, False),
    ("Responded", lambda c: c.row.responded, False),
    ("Smelters/refiners identified", lambda c: c.row.smelters, False),
    ("RMI conformant", lambda c: c.row.conformant, False),
    ("RMI active", lambda c: c.row.active, False),
    ("Minerals", lambda c: ", ".join(c.metals), False),
    ("Campaigns", lambda c: ", ".join(c.campaigns), False),
)
ROWS = PUBLISHED + DETAILS


def _years(report: AnnualReport) -> list[tuple[str, int]]:
    """(fiscal year label, how many columns it spans), in column order."""
    return [(f"FY{y}", len(list(cs))) for y, cs in groupby(report.columns, key=lambda c: c.fiscal_year)]


def _shown(value: Cell, ratio: bool) -> str:
    return (
        percent(value if isinstance(value, float) or value is None else float(value)) if ratio else str(value)
    )


def write_annual_xlsx(report: AnnualReport, path: Path | BinaryIO) -> None:
    """Sheet 'Annual report': fiscal years in row 3, groups in row 4, the published rows, details, rules."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Annual report"
    put(ws, "A1", TITLE)
    ws["A1"].font = Font(bold=True, size=13)
    col = 2
    for year, span in _years(report):
        put(ws, ws.cell(row=3, column=col).coordinate, year)
        ws.cell(row=3, column=col).font = Font(bold=True)
        if span > 1:
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
        col += span
    for i, column in enumerate(report.columns, start=2):
        put(ws, ws.cell(row=4, column=i).coordinate, column.group)
        ws.cell(row=4, column=i).font = Font(bold=True)
    for r, (title, value_of, ratio) in enumerate(ROWS, start=5):
        put(ws, f"A{r}", title)
        ws[f"A{r}"].font = Font(bold=r < 5 + len(PUBLISHED))
        for i, column in enumerate(report.columns, start=2):
            cell = ws.cell(row=r, column=i)
            value = value_of(column)
            if isinstance(value, str):
                put(ws, cell.coordinate, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.value = value
                if ratio:
                    cell.number_format = "0.0%"
    start = 6 + len(ROWS)
    put(ws, f"A{start}", "How the numbers are counted")
    ws[f"A{start}"].font = Font(bold=True)
    for i, rule in enumerate(report.rules, start=start + 1):
        put(ws, f"A{i}", rule)
    ws.column_dimensions["A"].width = 44
    for i in range(len(report.columns)):
        ws.column_dimensions[ws.cell(row=4, column=i + 2).column_letter].width = 40
    wb.save(path)


def annual_table_html(report: AnnualReport) -> str:
    """The table alone (for the console page and the HTML file); every text escaped."""
    esc = html.escape
    years = "".join(f'<th colspan="{span}" scope="colgroup">{esc(y)}</th>' for y, span in _years(report))
    groups = "".join(f'<th scope="col">{esc(c.group)}</th>' for c in report.columns)
    body = []
    for i, (title, value_of, ratio) in enumerate(ROWS):
        kind = "published" if i < len(PUBLISHED) else "detail"
        tds = "".join(f"<td>{esc(_shown(value_of(c), ratio))}</td>" for c in report.columns)
        body.append(f'<tr class="{kind}"><th scope="row">{esc(title)}</th>{tds}</tr>')
    return (
        f'<table class="annual"><thead><tr><td></td>{years}</tr><tr><td></td>{groups}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def annual_html(report: AnnualReport) -> str:
    """A self-contained HTML page: the table and the counting rules under it."""
    rules = "".join(f"<li>{html.escape(rule)}</li>" for rule in report.rules)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{TITLE}</title>'
        "<style>table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px 8px;vertical-align:top}"
        "tr.detail{color:#555}</style></head>"
        f"<body><h1>{TITLE}</h1>{annual_table_html(report)}"
        f"<h2>How the numbers are counted</h2><ul>{rules}</ul></body></html>"
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def annual_markdown(report: AnnualReport) -> str:
    """A Markdown table (one header row: fiscal year and group), then the rules as a list."""
    head = ["", *(f"FY{c.fiscal_year} {c.group}" for c in report.columns)]
    lines = [f"# {TITLE}", "", "| " + " | ".join(_md(h) for h in head) + " |"]
    lines.append("|" + "---|" * len(head))
    for title, value_of, ratio in ROWS:
        shown = [_md(_shown(value_of(c), ratio)) for c in report.columns]
        lines.append("| " + " | ".join([_md(title), *shown]) + " |")
    lines += ["", "## How the numbers are counted", "", *(f"- {_md(r)}" for r in report.rules), ""]
    return "\n".join(lines)
