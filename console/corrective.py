"""Staff decisions on a case's corrective actions, sent to each action's workflow as its `decide` Update."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from cli.action_view import OPEN, action_row
from cli.enrol import parse_due
from console.gateway import Refused, WorkflowUnavailable
from console.render import page
from console.security import Staff, check_csrf, require
from console.state import state
from models.corrective import CorrectiveAction
from models.enums import Decision
from models.messages import ActionDecision
from models.users import Role
from workflows import CorrectiveActionWorkflow

router = APIRouter()
# What the console offers (assigning and evidence stay in the CLI for now).
OFFERED = (Decision.ACCEPT, Decision.REJECT, Decision.WAIVE, Decision.EXTEND, Decision.NOTE)
NEEDS_TEXT = {Decision.REJECT: "a reason", Decision.WAIVE: "a justification", Decision.NOTE: "a note"}


def _row(request: Request, action_id: int) -> dict[str, object]:
    with state(request).sessions() as session:
        action = session.get(CorrectiveAction, action_id)
        if action is None:
            raise HTTPException(404, f"there is no corrective action {action_id}")
        return action_row(action)


@router.post("/corrective-actions/{action_id}/{decision}", dependencies=[Depends(check_csrf)])
async def decide(
    request: Request,
    action_id: int,
    decision: Decision,
    staff: Annotated[Staff, Depends(require(Role.ANALYST))],
    reason: Annotated[str, Form(max_length=2000)] = "",
    due: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Send one decision; the page shows the workflow's refusal in its own words."""
    if decision not in OFFERED:
        raise HTTPException(404, "no such decision here")
    row = await run_in_threadpool(_row, request, action_id)
    error, status = "", 400
    if row["status"] not in OPEN and decision != Decision.NOTE:
        error, status = f"action {row['n']} is {row['status']}; only a note can be added", 409
    elif decision in NEEDS_TEXT and not reason.strip():
        error = f"to {decision.value} action {row['n']}, give {NEEDS_TEXT[decision]}"
    else:
        try:
            due_at = parse_due(due) if decision == Decision.EXTEND else None
            arg = ActionDecision(decision=decision, actor=staff.email, reason=reason.strip(), due_at=due_at)
            await state(request).gateway.update(str(row["workflow_id"]), CorrectiveActionWorkflow.decide, arg)
        except (ValueError, Refused, WorkflowUnavailable) as exc:
            error = f"action {row['n']}: {exc}"
    if not error:
        return RedirectResponse(f"/cases/{row['case']}?done=action-{decision.value}", status_code=303)
    return page(
        request, "error.html", {"staff": staff, "status": status, "message": error}, status_code=status
    )
