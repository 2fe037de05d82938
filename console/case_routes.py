"""Staff pages: case list, case page with its timeline, and staff actions (dashboard: console.dashboard)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases.action_view import OPEN, actions_of_case
from cases.case_view import case_detail
from cases.gateway import WorkflowUnavailable
from console.actions import ACTIONS, ActionError, build_signal
from console.caselist import RISKS, SORTS, CaseFilter, campaign_names, list_cases
from console.corrective import OFFERED
from console.render import is_htmx, page
from console.security import Staff, check_csrf, require
from console.state import state
from models.enums import Stage
from models.users import Role
from reports.case_smelters import CaseSmelters, case_smelters
from risk import load_risk_config

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Analyst = Annotated[Staff, Depends(require(Role.ANALYST))]
SMELTERS_SHOWN = 100  # declared smelter rows on the case page until "show all"
CONTACT_NOTICES = {
    "contact": "Supplier contact saved; the open cases send a refused email again to the new address.",
    "contact-untold": "Supplier contact saved, but not every open case could be told (Temporal away): "
    "save it again to retry.",
}


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, staff: Viewer) -> HTMLResponse:
    """The case list; htmx gets only the results block."""
    wanted = CaseFilter.parse(dict(request.query_params))
    with state(request).sessions() as session:
        found = list_cases(session, wanted)
        campaigns = campaign_names(session)
    context = {
        "staff": staff,
        "f": wanted,
        "result": found,
        "campaigns": campaigns,
        "stages": [s.value for s in Stage],
        "risks": RISKS,
        "sorts": list(SORTS),
    }
    return page(request, "cases.html", context, block="results" if is_htmx(request) else None)


def _detail(request: Request, case_id: int) -> dict[str, object]:
    with state(request).sessions() as session:
        detail = case_detail(session, case_id)
        if detail is None:
            raise HTTPException(404, f"there is no case {case_id}")
        detail["corrective"] = actions_of_case(session, case_id)
    return detail


def _smelters(request: Request, case_id: int, file_id: int | None) -> CaseSmelters | None:
    """The declared smelters of the case's latest (or chosen) assessed upload; 404 for another file."""
    settings = state(request).settings
    config = load_risk_config(settings.resolved_risk_config())
    with state(request).sessions() as session:
        try:
            return case_smelters(session, case_id, config, file_id, settings.resolved_file_store_dir())
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from None


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request,
    case_id: int,
    staff: Viewer,
    done: str = "",
    file: Annotated[int | None, Query(ge=1)] = None,
    smelters: str = "",
) -> HTMLResponse:
    """Everything about one case, and the staff actions that apply to its stage."""
    detail = _detail(request, case_id)
    declared = _smelters(request, case_id, file)
    actions = [a for a in ACTIONS.values() if a.applies(str(detail["stage"]))]
    notice = f"{ACTIONS[done].label}: sent to the survey workflow." if done in ACTIONS else ""
    if done.startswith("action-"):
        notice = f"Corrective action: {done.removeprefix('action-')} recorded."
    notice = CONTACT_NOTICES.get(done, notice)
    context = {
        "staff": staff,
        "case": detail,
        "actions": actions,
        "notice": notice,
        "error": "",
        "open_statuses": OPEN,
        "decisions": OFFERED,
        "declared": declared,
        "smelters_shown": None if smelters == "all" else SMELTERS_SHOWN,
    }
    return page(request, "case.html", context)


@router.get("/cases/{case_id}/timeline", response_class=HTMLResponse)
def timeline(request: Request, case_id: int, staff: Viewer) -> HTMLResponse:
    """The case's stage and audit timeline only (htmx polls it)."""
    context = {"staff": staff, "case": _detail(request, case_id), "actions": [], "notice": "", "error": ""}
    return page(request, "case.html", context, block="live")


@router.post("/cases/{case_id}/actions/{name}", dependencies=[Depends(check_csrf)])
async def act(
    request: Request,
    case_id: int,
    name: str,
    staff: Analyst,
    reason: Annotated[str, Form(max_length=2000)] = "",
    due: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Send one staff action to the case's survey workflow as a signal."""
    action = ACTIONS.get(name)
    if action is None:
        raise HTTPException(404, "no such action")
    detail = await run_in_threadpool(_detail, request, case_id)
    error = ""
    if not action.applies(str(detail["stage"])):
        error = f"{action.label} does not apply to a case that is {detail['stage']}"
    else:
        try:
            signal, arg = build_signal(action, staff.email, reason, due)
            await state(request).gateway.signal(str(detail["workflow_id"]), signal, arg)
        except (ActionError, WorkflowUnavailable) as exc:
            error = str(exc)
    if not error:
        return RedirectResponse(f"/cases/{case_id}?done={name}", status_code=303)
    actions = [a for a in ACTIONS.values() if a.applies(str(detail["stage"]))]
    declared = await run_in_threadpool(_smelters, request, case_id, None)
    context = {
        "staff": staff,
        "case": detail,
        "actions": actions,
        "notice": "",
        "error": error,
        "declared": declared,
        "smelters_shown": SMELTERS_SHOWN,
    }
    return page(request, "case.html", context, status_code=409 if "does not apply" in error else 400)
