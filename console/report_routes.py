"""Reports in the browser: a campaign's KPI table (response, smelters, RMI conformance) as of today."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

import risk
from console.security import Staff, require
from console.state import state
from models.users import Role
from reports.kpi import kpi_report
from reports.kpi_export import kpi_html
from reports.scope import UnknownCampaign, find_campaigns, load_scope

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]


@router.get("/reports/kpi", response_class=HTMLResponse)
def kpi(request: Request, staff: Viewer, campaign: str) -> HTMLResponse:
    """The KPI table of one campaign with its counting rules, as `minerals report kpi --html` writes it."""
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
        report = kpi_report(session, scope, registry, config)
    return HTMLResponse(kpi_html(report))
