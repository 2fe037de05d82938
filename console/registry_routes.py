"""Reference data: the smelter registry (search, RMAP status today, status history) and its imports."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

import risk
from console.render import page
from console.security import Staff, require
from console.state import state
from models.registry import RegistryAlias, RegistryFacility, RegistryImport, RegistryStatus
from models.users import Role

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
SHOWN = 100


@router.get("/registry", response_class=HTMLResponse)
def registry(request: Request, staff: Viewer, q: str = "", metal: str = "") -> HTMLResponse:
    """Facilities matching a CID or name (closest first, as the assessment matches them) and every import."""
    q, metal = q.strip()[:200], metal.strip()[:40]
    with state(request).sessions() as session:
        loaded = risk.load_registry(session, dt.date.today())
        imports = risk.import_history(session)
    if q:
        cid = loaded.resolve_id(q)
        ids = [cid] if cid else [c.smelter_id for c in risk.candidates(loaded, q, metal or None, limit=SHOWN)]
    else:
        ids = sorted(i for i, f in loaded.facilities.items() if not metal or f.metal == metal)[:SHOWN]
    rows = [(loaded.facilities[i], loaded.statuses.get(i)) for i in ids]
    metals = sorted({f.metal for f in loaded.facilities.values()})
    context = {
        "staff": staff,
        "rows": rows,
        "q": q,
        "metal": metal,
        "metals": metals,
        "total": len(loaded.facilities),
        "imports": imports,
        "as_of": loaded.as_of,
    }
    return page(request, "registry.html", context)


@router.get("/registry/{smelter_id}", response_class=HTMLResponse)
def smelter(request: Request, smelter_id: str, staff: Viewer) -> HTMLResponse:
    """One facility: its names and old ids, and every status each imported list gave it."""
    with state(request).sessions() as session:
        facility = session.get(RegistryFacility, smelter_id)
        if facility is None:
            raise HTTPException(404, f"no facility {smelter_id} in the registry")
        aliases = list(session.scalars(select(RegistryAlias).where(RegistryAlias.smelter_id == smelter_id)))
        history = session.execute(
            select(RegistryStatus, RegistryImport.file_name)
            .join(RegistryImport, RegistryImport.id == RegistryStatus.import_id)
            .where(RegistryStatus.smelter_id == smelter_id)
            .order_by(RegistryStatus.as_of.desc(), RegistryStatus.id.desc())
        ).all()
    context = {"staff": staff, "facility": facility, "aliases": aliases, "history": history}
    return page(request, "smelter.html", context)
