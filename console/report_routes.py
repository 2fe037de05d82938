"""Reports in the browser: a campaign's KPI table with its charts (server-rendered SVG), CSV and XLSX."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

import risk
from cases.charts import line_over_time, share_bars
from console.render import page
from console.security import Staff, require
from console.state import state
from models.campaign import Campaign
from models.users import Role
from reports.kpi import KpiReport, kpi_report, response_curve
from reports.kpi_export import COLUMNS, RATIOS, cells, percent, write_kpi_csv, write_kpi_xlsx
from reports.scope import UnknownCampaign, find_campaigns, load_scope

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: Request, campaign: str) -> tuple[KpiReport, list[tuple[dt.date, int]]]:
    """The KPI table of one campaign as of today, and how many suppliers had responded by each day."""
    console = state(request)
    today = dt.date.today()
    with console.sessions() as session:
        try:
            campaigns = find_campaigns(session, [campaign[:200]])
        except UnknownCampaign:
            raise HTTPException(404, "no such campaign") from None
        scope = load_scope(session, campaigns, today, console.settings.resolved_file_store_dir())
        registry = risk.load_registry(session, today)
        config = risk.load_risk_config(console.settings.resolved_risk_config())
        return kpi_report(session, scope, registry, config), response_curve(scope)


def _file_name(report: KpiReport, suffix: str) -> str:
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in "-".join(report.campaigns))[:80]
    return f"kpi-{name}-{report.as_of:%Y-%m-%d}.{suffix}"


@router.get("/reports", response_class=HTMLResponse)
def reports(request: Request, staff: Viewer) -> HTMLResponse:
    """Every campaign, each with its KPI report."""
    with state(request).sessions() as session:
        campaigns = list(session.scalars(select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id)))
    return page(request, "reports.html", {"staff": staff, "campaigns": campaigns})


@router.get("/reports/kpi", response_class=HTMLResponse)
def kpi(request: Request, staff: Viewer, campaign: str) -> HTMLResponse:
    """The KPI table of one campaign with its charts and counting rules, and links to export it."""
    report, curve = _report(request, campaign)
    metals = [r for r in report.rows if r.metal is not None]
    shares = share_bars(
        [
            (r.label, {"conformant": r.conformant_share, "participating": r.participating_share})
            for r in metals
        ]
    )
    in_scope = sum(r.suppliers_in_scope for r in report.rows if r.metal is None)
    context = {
        "staff": staff,
        "campaign": campaign,
        "report": report,
        "columns": COLUMNS,
        "rows": [(r, list(zip((a for _, a in COLUMNS), cells(r), strict=True))) for r in report.rows],
        "ratios": RATIOS,
        "percent": percent,
        "shares": shares,
        "metals": metals,
        "response": line_over_time(curve, max(in_scope, curve[-1][1] if curve else 0)),
        "curve": curve,
        "in_scope": in_scope,
    }
    return page(request, "report.html", context)


@router.get("/reports/kpi.{kind}")
def kpi_export(request: Request, staff: Viewer, kind: Literal["csv", "xlsx"], campaign: str) -> Response:
    """The KPI table as CSV, or as the workbook `minerals report kpi --xlsx` writes."""
    report, _ = _report(request, campaign)
    if kind == "csv":
        text = io.StringIO()
        write_kpi_csv(report, text)
        body, media_type = text.getvalue().encode(), "text/csv; charset=utf-8"
    else:
        book = io.BytesIO()
        write_kpi_xlsx(report, book)
        body, media_type = book.getvalue(), XLSX
    disposition = f'attachment; filename="{_file_name(report, kind)}"'
    return Response(body, media_type=media_type, headers={"content-disposition": disposition})
