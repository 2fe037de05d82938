"""/corrective-actions: list (by case, status), one action with its timeline, a staff decision."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import select

from cases.action_view import action_row, actions_of_case
from cases.dates import parse_due
from cases.review import decision_problem
from console.api.auth import Analyst, Viewer
from console.api.problems import Problem
from console.state import state
from models.corrective import CorrectiveAction
from models.enums import Decision
from models.messages import ActionDecision
from workflows import CorrectiveActionWorkflow

router = APIRouter(prefix="/corrective-actions", tags=["corrective actions"])
PAGE = 200


class DecisionIn(BaseModel):
    """A staff decision: accept, reject, waive, extend (with `due`), note."""

    decision: Decision
    reason: str = Field("", max_length=2000)
    due: str = Field("", max_length=64, description="for extend: 2027-04-30, an ISO date-time, or +14d")


def _row(request: Request, action_id: int) -> dict[str, Any]:
    with state(request).sessions() as session:
        action = session.get(CorrectiveAction, action_id) if action_id < 2**63 else None
        if action is None:
            raise Problem(404, f"there is no corrective action {action_id}")
        return action_row(action)


@router.get("")
def actions(
    request: Request,
    caller: Viewer,
    case: Annotated[int | None, Query(ge=1, lt=2**63)] = None,
    status: Annotated[str, Query(max_length=16)] = "",
    after: Annotated[int, Query(ge=0, lt=2**63, description="the last id of the previous page")] = 0,
) -> dict[str, Any]:
    """Corrective actions by id, a page at a time; `after` = the previous page's `next_after`."""
    query = select(CorrectiveAction).where(CorrectiveAction.id > after).order_by(CorrectiveAction.id)
    if case is not None:
        query = query.where(CorrectiveAction.survey_id == case)
    if status:
        query = query.where(CorrectiveAction.status == status)
    with state(request).sessions() as session:
        found = [action_row(a) for a in session.scalars(query.limit(PAGE + 1))]
    more = len(found) > PAGE
    return {"items": found[:PAGE], "next_after": found[PAGE - 1]["id"] if more else None}


@router.get("/{action_id}")
def show(request: Request, action_id: int, caller: Viewer) -> dict[str, Any]:
    """One action with its timeline and evidence."""
    row = _row(request, action_id)
    with state(request).sessions() as session:
        return next(a for a in actions_of_case(session, int(row["case"])) if a["id"] == action_id)


@router.post("/{action_id}/decisions")
async def decide(request: Request, action_id: int, body: DecisionIn, caller: Analyst) -> dict[str, Any]:
    """Send a decision to the action's workflow (its `decide` Update); answers the action's new state."""
    row = await run_in_threadpool(_row, request, action_id)
    error = decision_problem(row, body.decision, body.reason, body.due)
    if error:
        raise Problem(409 if error.endswith("only a note can be added") else 422, error, "invalid-decision")
    due_at = parse_due(body.due) if body.decision == Decision.EXTEND else None
    arg = ActionDecision(
        decision=body.decision, actor=caller.actor, reason=body.reason.strip(), due_at=due_at
    )
    result = await state(request).gateway.update(
        str(row["workflow_id"]), CorrectiveActionWorkflow.decide, arg
    )
    return {"action": action_id, "decision": body.decision.value, "state": _jsonable(result)}


def _jsonable(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if dump else value
