"""The audit trail in the browser: who did what to which case, changes as named fields, filters, pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from cases.audit_view import case_events, readable, wanted
from console.render import page
from console.security import Staff, require
from console.state import state
from models.audit import AuditEvent
from models.audit_query import AuditFilter
from models.users import Role

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
PAGE = 50
MAX_ID = 2**63 - 1


@router.get("/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    staff: Viewer,
    actor: str = "",
    action: str = "",
    case: str = "",
    since: str = "",
    until: str = "",
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """One page of events matching the filters, newest first; `before` pages back by event id."""
    form = {"actor": actor, "action": action, "case": case, "since": since, "until": until}
    form = {k: v.strip()[:200] for k, v in form.items()}
    error = ""
    try:
        chosen, case_id = wanted(form)
    except ValueError as exc:
        error, chosen, case_id = str(exc), AuditFilter(), None
    with state(request).sessions() as session:
        query = case_events(session, chosen, case_id).order_by(None).order_by(AuditEvent.id.desc())
        if before is not None:
            query = query.where(AuditEvent.id < before)
        events = list(session.scalars(query.limit(PAGE + 1)))
        rows = readable(session, events[:PAGE])
    more = events[PAGE - 1].id if len(events) > PAGE else None
    filters = {k: v for k, v in form.items() if v}
    context = {
        "staff": staff,
        "events": rows,
        "form": form,
        "filters": filters,
        "error": error,
        "more": more,
        "paged": before is not None,
    }
    return page(request, "audit.html", context)


@router.get("/audit/{event_id}", response_class=HTMLResponse)
def audit_event(request: Request, event_id: int, staff: Viewer) -> HTMLResponse:
    """One event with every field before and after, its place in the chain, and its case."""
    with state(request).sessions() as session:
        event = session.get(AuditEvent, event_id) if 0 < event_id <= MAX_ID else None
        if event is None:
            raise HTTPException(404, f"there is no audit event {event_id}")
        row = readable(session, [event])[0]
        chain = {"seq": event.seq, "hash": event.hash, "prev_hash": event.prev_hash}
    return page(request, "audit_event.html", {"staff": staff, "e": row, "chain": chain})
