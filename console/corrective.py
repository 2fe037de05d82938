"""Reviewing corrective actions: open the supplier's documents, then decide in two steps (form, confirm),
the decision going to the action's workflow as its `decide` Update."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response

from cases.action_view import action_row
from cases.dates import parse_due
from cases.gateway import Refused, WorkflowUnavailable
from cases.review import DECISIONS, VERBS, decision_problem, decisions_for, document
from console.render import page
from console.security import Staff, check_csrf, require
from console.state import state
from models.corrective import CorrectiveAction
from models.enums import Decision
from models.messages import ActionDecision
from models.users import Role
from workflows import CorrectiveActionWorkflow

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Analyst = Annotated[Staff, Depends(require(Role.ANALYST))]
Reason = Annotated[str, Form(max_length=2000)]
Due = Annotated[str, Form(max_length=64)]
OFFERED = DECISIONS  # what the case page's review form offers an open action
MAX_ID = 2**63 - 1  # larger ids name no row (and overflow the database's integer)
# The document response may not run anything nor reach anything: a PDF or image is only shown.
DOCUMENT_CSP = "sandbox; default-src 'none'; img-src 'self'"


def _row(request: Request, action_id: int) -> dict[str, object]:
    if action_id > MAX_ID:
        raise HTTPException(404, f"there is no corrective action {action_id}")
    with state(request).sessions() as session:
        action = session.get(CorrectiveAction, action_id)
        if action is None:
            raise HTTPException(404, f"there is no corrective action {action_id}")
        return action_row(action)


@router.get("/files/{file_id}")
def open_file(request: Request, file_id: int, staff: Viewer) -> Response:
    """A case's stored file: PDF and images shown in the browser, office files and the rest downloaded."""
    console = state(request)
    with console.sessions() as session:
        found = (
            document(session, console.settings.resolved_file_store_dir(), file_id)
            if file_id <= MAX_ID
            else None
        )
    if found is None:
        raise HTTPException(404, f"there is no stored file {file_id}")
    return FileResponse(
        found.path,
        media_type=found.media_type,
        filename=found.name,
        content_disposition_type="inline" if found.inline else "attachment",
        headers={"content-security-policy": DOCUMENT_CSP},
    )


def _confirm(
    request: Request,
    staff: Staff,
    row: dict[str, object],
    decision: Decision,
    reason: str,
    due: str,
    error: str,
) -> Response:
    """The confirmation page (or the form again with what to change, 400)."""
    context = {
        "staff": staff,
        "action": row,
        "decision": decision,
        "verb": VERBS[decision],
        "reason": reason.strip(),
        "due": due.strip(),
        "due_at": parse_due(due) if decision == Decision.EXTEND and not error else None,
        "decisions": decisions_for(str(row["status"])),
        "error": error,
    }
    return page(request, "decision.html", context, status_code=400 if error else 200)


@router.post("/corrective-actions/{action_id}/review", dependencies=[Depends(check_csrf)])
async def review(
    request: Request,
    action_id: int,
    staff: Analyst,
    decision: Annotated[str, Form(max_length=16)] = "",
    reason: Reason = "",
    due: Due = "",
) -> Response:
    """Step one: the review form's decision, checked, then shown back to be confirmed."""
    row = await run_in_threadpool(_row, request, action_id)
    chosen = next((d for d in DECISIONS if d.value == decision), None)
    if chosen is None:
        return _confirm(request, staff, row, Decision.NOTE, reason, due, "choose a decision")
    return _confirm(request, staff, row, chosen, reason, due, decision_problem(row, chosen, reason, due))


@router.post("/corrective-actions/{action_id}/{decision}", dependencies=[Depends(check_csrf)])
async def decide(
    request: Request,
    action_id: int,
    decision: Decision,
    staff: Analyst,
    reason: Reason = "",
    due: Due = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Step two: send a confirmed decision; the page shows the workflow's refusal in its own words."""
    row = await run_in_threadpool(_row, request, action_id)
    if decision not in decisions_for("open"):
        raise HTTPException(404, "no such decision here")
    error = decision_problem(row, decision, reason, due)
    if error or confirm != "yes":
        status = 409 if error.endswith("only a note can be added") else 400
        if error and status == 409:
            return page(
                request, "error.html", {"staff": staff, "status": status, "message": error}, status_code=409
            )
        return _confirm(request, staff, row, decision, reason, due, error)
    try:
        due_at = parse_due(due) if decision == Decision.EXTEND else None
        arg = ActionDecision(decision=decision, actor=staff.email, reason=reason.strip(), due_at=due_at)
        await state(request).gateway.update(str(row["workflow_id"]), CorrectiveActionWorkflow.decide, arg)
    except (ValueError, Refused, WorkflowUnavailable) as exc:
        return _confirm(request, staff, row, decision, reason, due, f"action {row['number']}: {exc}")
    return RedirectResponse(
        f"/cases/{row['case']}?done=action-{decision.value}#action-{action_id}", status_code=303
    )
