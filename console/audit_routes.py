"""The audit trail in the browser: every event, newest first, filtered by actor, subject, action and date."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from console.render import page
from console.security import Staff, require
from console.state import state
from models.audit import AuditEvent
from models.audit_query import AuditFilter, events_query, parse_moment
from models.users import Role

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
PAGE = 100


@router.get("/audit", response_class=HTMLResponse)
def audit(
    request: Request,
    staff: Viewer,
    actor: str = "",
    subject: str = "",
    action: str = "",
    since: str = "",
    until: str = "",
    before: int | None = None,
) -> HTMLResponse:
    """One page of events matching the filters; `before` pages back by event id."""
    form = {"actor": actor, "subject": subject, "action": action, "since": since, "until": until}
    form = {k: v.strip()[:200] for k, v in form.items()}
    error = ""
    try:
        wanted = AuditFilter(
            actor=form["actor"] or None,
            subject=form["subject"] or None,
            action=form["action"] or None,
            since=parse_moment(form["since"]) if form["since"] else None,
            until=parse_moment(form["until"]) if form["until"] else None,
        )
    except ValueError as exc:
        error, wanted = str(exc), AuditFilter()
    query = events_query(wanted).order_by(None).order_by(AuditEvent.id.desc()).limit(PAGE + 1)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    with state(request).sessions() as session:
        events = list(session.scalars(query))
    more = events[PAGE].id + 1 if len(events) > PAGE else None
    context = {"staff": staff, "events": events[:PAGE], "form": form, "error": error, "more": more}
    return page(request, "audit.html", context)
