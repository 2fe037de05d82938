"""The annual report in the console: the published table, several fiscal years, XLSX and Markdown export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

import risk
from console.render import page
from console.security import Staff, require
from console.state import state
from models.users import Role
from reports.annual import AnnualReport, annual_report, campaign_years
from reports.annual_export import annual_markdown, annual_table_html, write_annual_xlsx

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Years = Annotated[list[int] | None, Query(alias="fy")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: Request, years: list[int] | None) -> tuple[AnnualReport, list[int], list[int]]:
    """The report of the chosen fiscal years (default: the latest two with campaigns), and every such year."""
    console = state(request)
    start_month = console.settings.fiscal_year_start_month
    with console.sessions() as session:
        known = sorted(set(campaign_years(session, start_month).values()))
        chosen = sorted({y for y in years or [] if 1900 < y < 3000})[:6] or known[-2:]
        config = risk.load_risk_config(console.settings.resolved_risk_config())
        store = console.settings.resolved_file_store_dir()
        report = annual_report(session, chosen, dt.date.today(), start_month, store, config)
    return report, chosen, known


@router.get("/reports/annual", response_class=HTMLResponse)
def annual(request: Request, staff: Viewer, years: Years = None) -> HTMLResponse:
    """The published table of the chosen fiscal years, its counting rules and export links."""
    report, chosen, known = _report(request, years)
    query = "&".join(f"fy={y}" for y in chosen)
    context = {
        "staff": staff,
        "report": report,
        "table": Markup(annual_table_html(report)),  # noqa: S704  (every text in it is escaped)
        "chosen": chosen,
        "known": known,
        "query": query,
    }
    return page(request, "annual.html", context)


@router.get("/reports/annual.{kind}")
def annual_export(
    request: Request, staff: Viewer, kind: Literal["xlsx", "md"], years: Years = None
) -> Response:
    """The same table as the workbook or Markdown `minerals report annual` writes."""
    report, chosen, _ = _report(request, years)
    if not report.columns:
        raise HTTPException(404, "no campaign in those fiscal years")
    if kind == "xlsx":
        book = io.BytesIO()
        write_annual_xlsx(report, book)
        body, media_type = book.getvalue(), XLSX
    else:
        body, media_type = annual_markdown(report).encode(), "text/markdown; charset=utf-8"
    name = f"annual-report-{'-'.join(f'FY{y}' for y in chosen)}.{kind}"
    return Response(
        body, media_type=media_type, headers={"content-disposition": f'attachment; filename="{name}"'}
    )
