"""/cases: the console's case list (same filters and pages), one case, staff actions, a file on the
supplier's behalf."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from activities.filestore import TooLarge, store_upload
from cases.case_view import case_detail, iso
from cases.gateway import NotStarted, Refused, WorkflowUnavailable
from console.actions import ACTIONS, ActionError, build_signal
from console.api.auth import Analyst, Viewer
from console.api.problems import Problem
from console.caselist import CaseFilter, list_cases
from console.state import state
from models.enums import Stage

router = APIRouter(prefix="/cases", tags=["cases"])
SURVEY_START_WAIT = 10.0  # seconds a case past pending may take for its survey workflow to exist
Text = Annotated[str, Query(max_length=100)]


class ActionIn(BaseModel):
    """A staff action: the reason (kept in the audit trail) and, for extend and reopen, the due date."""

    reason: str = Field("", max_length=2000)
    due: str = Field("", max_length=64, description="2027-04-30, an ISO date-time, or +14d")


def detail(request: Request, case_id: int) -> dict[str, Any]:
    """One case, or a 404 problem."""
    with state(request).sessions() as session:
        found = case_detail(session, case_id) if case_id < 2**63 else None
    if found is None:
        raise Problem(404, f"there is no case {case_id}")
    return found


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: iso(v) if isinstance(v, dt.datetime) else v for k, v in row.items() if not k.startswith("_")}


@router.get("")
def cases(
    request: Request,
    caller: Viewer,
    campaign: Text = "",
    stage: Text = "",
    risk: Text = "",
    overdue: bool = False,
    owner: Text = "",
    metal: Text = "",
    smelter: Text = "",
    needs: Text = "",
    q: Text = "",
    sort: Text = "id",
    dir: Text = "",  # noqa: A002  (the console's name: asc or desc)
    after: Annotated[str, Query(max_length=400)] = "",
) -> dict[str, Any]:
    """The case list with the console's filters; `after` = the previous page's `next_after`."""
    wanted = CaseFilter.parse({k: v for k, v in request.query_params.items()})
    with state(request).sessions() as session:
        found = list_cases(session, wanted)
    return {"items": [_plain(r) for r in found.rows], "total": found.total, "next_after": found.next_after}


@router.get("/{case_id}")
def show(request: Request, case_id: int, caller: Viewer) -> dict[str, Any]:
    """Everything about one case: summary, history, files, findings, emails."""
    return detail(request, case_id)


@router.post("/{case_id}/files", status_code=201)
async def submit(request: Request, case_id: int, file: UploadFile, caller: Analyst) -> dict[str, Any]:
    """Upload a supplier's file on their behalf: stored, checked by the survey workflow, verdict returned."""
    case = await run_in_threadpool(detail, request, case_id)
    if Stage(case["stage"]).final:
        raise Problem(
            409, f"case {case_id} is {case['stage']}; reopen it first to take a new file", "case-final"
        )
    console = state(request)
    try:
        stored = await run_in_threadpool(
            store_upload,
            console.sessions,
            console.settings.resolved_file_store_dir(),
            case_id,
            file.file,
            file.filename or "upload.xlsx",
            uploaded_by=caller.actor,
            max_bytes=console.settings.max_upload_bytes,
        )
    except TooLarge as exc:
        raise Problem(413, str(exc)) from None
    wait = SURVEY_START_WAIT if case["stage"] != Stage.PENDING else 0
    try:
        outcome = await console.gateway.submit_stored(
            console.sessions, str(case["workflow_id"]), stored, caller.actor, wait
        )
    except (Refused, WorkflowUnavailable) as exc:
        if isinstance(exc, NotStarted):
            raise Problem(
                409, f"case {case_id} has not started yet; send the file once its request has gone out"
            ) from None
        raise
    return outcome.model_dump(mode="json")


@router.post("/{case_id}/{action}", status_code=202)
async def act(
    request: Request,
    case_id: int,
    action: Literal["extend", "exempt", "close", "reopen"],
    body: ActionIn,
    caller: Analyst,
) -> dict[str, Any]:
    """Send a staff action to the case's survey workflow (as the console's buttons do); 409 when it does
    not apply to the case's stage."""
    chosen = ACTIONS[action]
    case = await run_in_threadpool(detail, request, case_id)
    if not chosen.applies(str(case["stage"])):
        raise Problem(
            409, f"{chosen.label} does not apply to a case that is {case['stage']}", "not-applicable"
        )
    try:
        signal, arg = build_signal(chosen, caller.actor, body.reason, body.due)
    except ActionError as exc:
        raise Problem(422, str(exc), "invalid-action") from None
    await state(request).gateway.signal(str(case["workflow_id"]), signal, arg)
    return {"case": case_id, "action": action, "sent": True}
