"""Bulk actions on the filtered case list: choose rows (or all matching the filter), confirm, then remind
now, extend, exempt or assign an owner, one audit event per case; and CSV/XLSX exports of the filter."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from cases import bulk
from cases.bulk import BulkError, Target
from cases.gateway import WorkflowUnavailable
from console.actions import ACTIONS, ActionError, build_signal
from console.caselist import CaseFilter, every_case
from console.render import page
from console.security import Staff, check_csrf, require
from console.state import state
from models.enums import Stage
from models.messages import RemindNow
from models.users import Role
from workflows import SurveyWorkflow

router = APIRouter()
Analyst = Annotated[Staff, Depends(require(Role.ANALYST))]
EXPORT_LIMIT = 200_000
SHOWN = 100  # cases listed on the confirmation page
IN_FLIGHT = 20  # signals sent at once


@dataclass(frozen=True)
class BulkAction:
    """One bulk action: its label and which cases it applies to."""

    name: str
    label: str
    done: str

    def applies(self, stage: Stage) -> bool:
        """True when the case's workflow would act on it in this stage."""
        if self.name == "remind":
            return stage.waiting
        return self.name == "assign" or not stage.final


BULK = {
    a.name: a
    for a in (
        BulkAction("remind", "Remind now", "reminder sent"),
        BulkAction("extend", "Extend due date", "due date extended"),
        BulkAction("exempt", "Exempt", "exempted"),
        BulkAction("assign", "Assign owner", "owner assigned"),
    )
}


def _filter(request: Request) -> CaseFilter:
    return CaseFilter.parse(dict(request.query_params))


def _chosen(request: Request, form: Any, f: CaseFilter) -> list[Target]:
    """The rows ticked, or every case matching the filter."""
    with state(request).sessions() as session:
        if form.get("all") == "1":
            ids = [r["id"] for r in every_case(session, f, bulk.LIMIT + 1)]
        else:
            ids = bulk.parse_ids(v for v in form.getlist("case") if isinstance(v, str))
        if not ids:
            raise BulkError("no case chosen: tick cases in the list, or all matching the filter")
        return bulk.targets(session, ids)


def _confirm(
    request: Request,
    staff: Staff,
    action: BulkAction,
    chosen: list[Target],
    error: str = "",
    status: int = 200,
) -> HTMLResponse:
    taken = [t for t in chosen if action.applies(t.stage)]
    context = {
        "staff": staff,
        "action": action,
        "taken": taken,
        "shown": taken[:SHOWN],
        "skipped": [t for t in chosen if not action.applies(t.stage)],
        "ids": ",".join(str(t.id) for t in taken),
        "back": CaseFilter.parse(dict(request.query_params)).query_params(after=""),
        "error": error,
        "form": {},
    }
    return page(request, "bulk.html", context, status_code=status)


@router.post("/cases/bulk", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def choose(request: Request, staff: Analyst) -> HTMLResponse:
    """The confirmation step: what the action will touch, and what it needs (due date, reason, owner)."""
    form = await request.form()
    action = BULK.get(str(form.get("action", "")))
    if action is None:
        return _error(request, staff, "choose what to do with the cases")
    try:
        chosen = await run_in_threadpool(_chosen, request, form, _filter(request))
    except BulkError as exc:
        return _error(request, staff, str(exc))
    return _confirm(request, staff, action, chosen)


def _error(request: Request, staff: Staff, message: str) -> HTMLResponse:
    context = {"staff": staff, "status": 400, "message": message, "problems": ()}
    return page(request, "error.html", context, status_code=400)


async def _signal_each(request: Request, cases: list[Target], signal: Any, arg: Any) -> list[str]:
    """Send the signal to every case's workflow, a few at a time; returns the problems."""
    gateway = state(request).gateway
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(case: Target) -> str:
        async with gate:
            try:
                await gateway.signal(case.workflow_id, signal, arg)
                return ""
            except WorkflowUnavailable as exc:
                return f"case {case.id}: {exc}"

    return [p for p in await asyncio.gather(*(one(c) for c in cases)) if p]


@router.post("/cases/bulk/confirm", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def confirm(request: Request, staff: Analyst) -> HTMLResponse:
    """Do the confirmed action on each chosen case that it still applies to, with an audit event each."""
    form = await request.form()
    action = BULK.get(str(form.get("action", "")))
    if action is None:
        return _error(request, staff, "choose what to do with the cases")
    fields = {k: str(form.get(k, "")).strip()[:2000] for k in ("reason", "due", "owner")}
    sessions = state(request).sessions
    try:
        ids = bulk.parse_ids([str(form.get("ids", ""))])
        with sessions() as session:
            chosen = bulk.targets(session, ids)
    except BulkError as exc:
        return _error(request, staff, str(exc))
    taken = [t for t in chosen if action.applies(t.stage)]
    details: dict[str, Any] = {}
    problems: list[str] = []
    try:
        if action.name == "assign":
            await run_in_threadpool(bulk.assign_owner, sessions, taken, fields["owner"], staff.email)
        else:
            if action.name == "remind":
                signal, arg = SurveyWorkflow.remind_now, RemindNow(actor=staff.email)
            else:
                signal, arg = build_signal(ACTIONS[action.name], staff.email, fields["reason"], fields["due"])
                details = {
                    "reason": fields["reason"],
                    **({"due": arg.due_at.isoformat()} if action.name == "extend" else {}),
                }
            problems = await _signal_each(request, taken, signal, arg)
            told = [t for t in taken if not any(p.startswith(f"case {t.id}:") for p in problems)]
            await run_in_threadpool(bulk.record, sessions, action.name, staff.email, told, details)
    except (BulkError, ActionError) as exc:
        response = _confirm(request, staff, action, chosen, str(exc), 400)
        return response
    context = {
        "staff": staff,
        "action": action,
        "done": len(taken) - len(problems),
        "problems": problems,
        "skipped": [t for t in chosen if not action.applies(t.stage)],
        "back": CaseFilter.parse(dict(request.query_params)).query_params(after=""),
    }
    return page(
        request,
        "bulk_done.html",
        context,
    )


def _export(request: Request) -> list[dict[str, Any]]:
    with state(request).sessions() as session:
        return every_case(session, _filter(request), EXPORT_LIMIT)


@router.get("/cases.csv")
async def export_csv(request: Request, staff: Analyst) -> Response:
    """Every case matching the filter (in the list's order) as CSV."""
    rows = await run_in_threadpool(_export, request)
    body = await run_in_threadpool(bulk.to_csv, rows)
    disposition = {"content-disposition": 'attachment; filename="cases.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=disposition)


@router.get("/cases.xlsx")
async def export_xlsx(request: Request, staff: Analyst) -> Response:
    """Every case matching the filter (in the list's order) as an XLSX workbook."""
    rows = await run_in_threadpool(_export, request)
    body = await run_in_threadpool(bulk.to_xlsx, rows)
    disposition = {"content-disposition": 'attachment; filename="cases.xlsx"'}
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=xlsx, headers=disposition)
