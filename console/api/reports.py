"""/findings and /reports/kpi: risk findings of assessed declarations, and the KPI table."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

import risk
from cases.case_view import iso
from console.api.auth import Viewer
from console.api.problems import Problem
from console.state import state
from models.campaign import Campaign
from models.survey import Finding, Survey
from reports.annual import annual_report, campaign_years
from reports.kpi import kpi_report
from reports.scope import UnknownCampaign, find_campaigns, load_scope

router = APIRouter(tags=["findings and reports"])
PAGE = 500


@router.get("/findings")
def findings(
    request: Request,
    caller: Viewer,
    campaign: Annotated[str, Query(max_length=64)] = "",
    case: Annotated[int | None, Query(ge=1, lt=2**63)] = None,
    severity: Annotated[str, Query(max_length=16)] = "",
    after: Annotated[int, Query(ge=0, lt=2**63, description="the last id of the previous page")] = 0,
) -> dict[str, Any]:
    """Findings by id, a page at a time, of one campaign, one case or one severity."""
    query = select(Finding).where(Finding.id > after).order_by(Finding.id).limit(PAGE + 1)
    if campaign:
        ids = (
            select(Survey.id)
            .join(Campaign, Campaign.id == Survey.campaign_id)
            .where(Campaign.name == campaign)
        )
        query = query.where(Finding.survey_id.in_(ids))
    if case is not None:
        query = query.where(Finding.survey_id == case)
    if severity:
        query = query.where(Finding.severity == severity)
    with state(request).sessions() as session:
        found = [
            {
                "id": f.id,
                "case": f.survey_id,
                "file_id": f.file_id,
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "metal": f.metal,
                "smelter_id": f.smelter_id,
                "created_at": iso(f.created_at),
            }
            for f in session.scalars(query)
        ]
    more = len(found) > PAGE
    return {"items": found[:PAGE], "next_after": found[PAGE - 1]["id"] if more else None}


@router.get("/reports/kpi")
def kpi(
    request: Request,
    caller: Viewer,
    campaign: Annotated[
        list[str] | None, Query(max_length=20, description="name or id; default: latest per template")
    ] = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Per mineral group and metal: response, complete declarations, smelters and RMI conformance."""
    console = state(request)
    day = as_of or dt.date.today()
    with console.sessions() as session:
        try:
            campaigns = find_campaigns(session, [c[:200] for c in campaign or []])
        except UnknownCampaign as exc:
            raise Problem(404, str(exc)) from None
        if not campaigns:
            raise Problem(404, "there is no campaign yet")
        scope = load_scope(session, campaigns, day, console.settings.resolved_file_store_dir())
        registry = risk.load_registry(session, day)
        config = risk.load_risk_config(console.settings.resolved_risk_config())
        return kpi_report(session, scope, registry, config).to_dict()


@router.get("/reports/annual")
def annual(
    request: Request,
    caller: Viewer,
    fy: Annotated[
        list[int] | None, Query(description="fiscal years; default: the latest two with campaigns")
    ] = None,
) -> dict[str, Any]:
    """The published annual table: one column per fiscal year and mineral group, and its counting rules."""
    console = state(request)
    start_month = console.settings.fiscal_year_start_month
    with console.sessions() as session:
        known = sorted(set(campaign_years(session, start_month).values()))
        chosen = sorted({y for y in fy or [] if 1900 < y < 3000})[:6] or known[-2:]
        config = risk.load_risk_config(console.settings.resolved_risk_config())
        store = console.settings.resolved_file_store_dir()
        report = annual_report(session, chosen, dt.date.today(), start_month, store, config)
    return {"fiscal_years": chosen, "known_years": known, **report.to_dict()}
