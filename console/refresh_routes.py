"""Registry refreshes and smelter outreach in the console: what each RMI list changed, and the engagement
with each facility that is not conformant."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from cases.outreach import outreach_detail, outreach_rows
from cases.refresh import refresh_detail, refresh_rows
from console.render import page
from console.security import Staff, require
from console.state import state
from models.users import Role

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]


@router.get("/refreshes", response_class=HTMLResponse)
def refreshes(request: Request, staff: Viewer) -> HTMLResponse:
    """Every registry refresh, newest first: facilities changed, cases examined and changed."""
    with state(request).sessions() as session:
        rows = refresh_rows(session)
    return page(request, "refreshes.html", {"staff": staff, "rows": rows})


@router.get("/refreshes/{refresh_id}", response_class=HTMLResponse)
def refresh(request: Request, refresh_id: int, staff: Viewer) -> HTMLResponse:
    """One refresh: the facilities that changed, the cases it changed, actions opened and closed."""
    with state(request).sessions() as session:
        detail = refresh_detail(session, refresh_id)
    if detail is None:
        raise HTTPException(404, f"no registry refresh {refresh_id}")
    return page(request, "refresh.html", {"staff": staff, "r": detail})


@router.get("/outreach", response_class=HTMLResponse)
def outreach(request: Request, staff: Viewer) -> HTMLResponse:
    """Every facility's outreach: those that need a contact first, then open ones, then closed ones."""
    with state(request).sessions() as session:
        rows = outreach_rows(session)
    return page(request, "outreach.html", {"staff": staff, "rows": rows})


@router.get("/outreach/{smelter_id}", response_class=HTMLResponse)
def outreach_one(request: Request, smelter_id: str, staff: Viewer) -> HTMLResponse:
    """One facility's outreach: its timeline and the letters sent."""
    with state(request).sessions() as session:
        detail = outreach_detail(session, smelter_id)
    if detail is None:
        raise HTTPException(404, f"no outreach to {smelter_id}")
    return page(request, "outreach_one.html", {"staff": staff, "o": detail})
