"""`minerals report annual`: the published table, several fiscal years side by side."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from cli.context import DataDir, fail, hint, out, sessions, settings_for


def annual(
    fiscal_year: Annotated[
        list[str], typer.Option("--fiscal-year", help="A fiscal year (2025 or FY2025); repeat for several.")
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Count at the end of this date (default today).")
    ] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the page to this HTML file.")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write the table to this workbook.")] = None,
    md: Annotated[Path | None, typer.Option("--md", help="Write the table as Markdown.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Assessment coverage, response and the share of smelters/refiners RMI conformant per fiscal year
    and mineral group (3TG from CMRT, cobalt/mica from EMRT), with the counting rules under it."""
    from cli.smelters import parse_day, risk_config
    from reports.annual import annual_report
    from reports.annual_export import annual_html, annual_markdown, write_annual_xlsx
    from reports.fiscal import parse_fiscal_year

    settings = settings_for(data_dir)
    try:
        years = sorted({parse_fiscal_year(y) for y in fiscal_year})
    except ValueError as exc:
        fail(str(exc), 2)
    day = parse_day(as_of) or dt.date.today()
    with sessions(settings)() as session:
        report = annual_report(
            session,
            years,
            day,
            settings.fiscal_year_start_month,
            settings.resolved_file_store_dir(),
            risk_config(settings),
        )
    if not report.columns:
        plan = hint(settings, "minerals campaign plan")
        fail(f"no campaign for {', '.join(f'FY{y}' for y in years)}: plan one with `{plan}`")
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if html:
        html.write_text(annual_html(report), encoding="utf-8")
        out.print(f"Annual report page written to {html}")
    if xlsx:
        write_annual_xlsx(report, xlsx)
        out.print(f"Annual report written to {xlsx}")
    if md:
        md.write_text(annual_markdown(report), encoding="utf-8")
        out.print(f"Annual report written to {md}")
    if not (html or xlsx or md):
        typer.echo(annual_markdown(report))
