"""/registry: look up smelters and refiners (by CID or name, closest first) with their RMAP status today."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

import risk
from console.api.auth import Viewer
from console.api.problems import Problem
from console.state import state

router = APIRouter(prefix="/registry", tags=["registry"])
SHOWN = 100


def _facility(loaded: risk.Registry, smelter_id: str) -> dict[str, Any]:
    status = loaded.statuses.get(smelter_id)
    return {**asdict(loaded.facilities[smelter_id]), "status": None if status is None else asdict(status)}


@router.get("")
def look_up(
    request: Request,
    caller: Viewer,
    q: Annotated[str, Query(max_length=200, description="a CID, an old id or a name")] = "",
    metal: Annotated[str, Query(max_length=40)] = "",
) -> dict[str, Any]:
    """Facilities matching a CID or name, closest first (as the assessment matches them)."""
    with state(request).sessions() as session:
        loaded = risk.load_registry(session, dt.date.today())
    if q.strip():
        cid = loaded.resolve_id(q.strip())
        found = risk.candidates(loaded, q.strip(), metal or None, limit=SHOWN)
        ids = [cid] if cid else [c.smelter_id for c in found]
    else:
        ids = sorted(i for i, f in loaded.facilities.items() if not metal or f.metal == metal)[:SHOWN]
    return {
        "as_of": loaded.as_of.isoformat() if loaded.as_of else None,
        "items": [_facility(loaded, i) for i in ids],
    }


@router.get("/{smelter_id}")
def facility(request: Request, smelter_id: str, caller: Viewer) -> dict[str, Any]:
    """One facility with its status today."""
    with state(request).sessions() as session:
        loaded = risk.load_registry(session, dt.date.today())
    cid = loaded.resolve_id(smelter_id[:40])
    if cid is None or cid not in loaded.facilities:
        raise Problem(404, f"there is no facility {smelter_id} in the registry")
    return _facility(loaded, cid)
