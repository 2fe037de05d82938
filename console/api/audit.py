"/audit: the audit trail's events (filtered, a page at a time, in chain order) and its verification."

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from console.api.auth import Viewer
from console.api.problems import Problem
from console.state import state
from models.audit import AuditEvent
from models.audit_chain import iso_at
from models.audit_query import AuditFilter, events_query, parse_moment
from models.audit_verify import COLUMNS, verify_database

router = APIRouter(prefix="/audit", tags=["audit trail"])
PAGE = 500
Text = Annotated[str, Query(max_length=320)]


def event_row(event: AuditEvent) -> dict[str, Any]:
    """One event with every chained column."""
    return {name: iso_at(event.at) if name == "at" else getattr(event, name) for name in COLUMNS}


def _moment(name: str, text: str) -> Any:
    try:
        return parse_moment(text) if text else None
    except ValueError as exc:
        raise Problem(422, f"{name}: {exc}", "invalid-request") from None


@router.get("/events")
def events(
    request: Request,
    caller: Viewer,
    case: Annotated[int | None, Query(ge=1, lt=2**63)] = None,
    actor: Text = "",
    subject: Text = "",
    action: Text = "",
    since: Text = "",
    until: Text = "",
    after: Annotated[int, Query(ge=0, lt=2**63, description="the last id of the previous page")] = 0,
) -> dict[str, Any]:
    """Audit events, oldest first, filtered as `minerals audit log` filters them."""
    chosen = AuditFilter(
        case, actor or None, subject or None, action or None, _moment("since", since), _moment("until", until)
    )
    query = events_query(chosen).where(AuditEvent.id > after).limit(PAGE + 1)
    with state(request).sessions() as session:
        found = [event_row(e) for e in session.scalars(query)]
    more = len(found) > PAGE
    return {"items": found[:PAGE], "next_after": found[PAGE - 1]["id"] if more else None}


@router.get("/verify")
def verify(request: Request, caller: Viewer) -> dict[str, Any]:
    """Recompute every hash of the chain; `ok` false names the first broken link."""
    with state(request).sessions() as session:
        outcome = verify_database(session)
    broken = outcome.broken
    return {
        "ok": outcome.ok,
        "checked": outcome.checked,
        "head": {"seq": outcome.seq, "hash": outcome.hash},
        "broken": None
        if broken is None
        else {"row_id": broken.row_id, "seq": broken.seq, "problem": broken.problem},
    }
