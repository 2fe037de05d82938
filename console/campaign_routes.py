"""Campaigns from the browser: create one, upload its supplier list (every bad line shown, nothing
imported then), preview what importing it changes, import it, start, pause and resume its reminders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.campaigns import (
    CampaignError,
    check_startable,
    find_campaign,
    hold_reminders,
    reminders_paused,
    stage_counts,
    tell_surveys,
)
from cases.dates import parse_due
from cases.enrolment import (
    CampaignConflict,
    CampaignPlan,
    check_plan,
    enrol,
    start_campaign_workflow,
)
from cases.gateway import WorkflowUnavailable
from cases.list_import import StashGone, check_list, import_list
from console.render import page
from console.security import Staff, check_csrf, require
from console.state import state
from models.campaign import Campaign
from models.enums import CampaignStatus, Stage, TemplateFamily
from models.supplier import Supplier
from models.survey import Survey
from models.users import Role

router = APIRouter()
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]
Analyst = Annotated[Staff, Depends(require(Role.ANALYST))]
MAX_LIST_BYTES = 10 * 1024 * 1024
ENROLLED_SHOWN = 100  # enrolled suppliers per page of the preview
ERRORS_SHOWN = 500  # bad lines listed; the count says how many more
NOTICES = {
    "created": "Campaign created. Upload its supplier list next.",
    "imported": "Supplier list imported: the suppliers below are enrolled. Check them, then start.",
    "started": "Campaign started: its surveys are being started and each supplier gets its request email.",
    "paused": "Reminders paused on every case of this campaign (a finished one keeps the pause if reopened).",
    "resumed": "Reminders resumed: each case carries on from where the pause stopped it.",
    "untold": "Recorded, but not every open case could be told (Temporal away): do it again to retry.",
}


CAMPAIGN_SORTS = {"created": Campaign.id, "name": Campaign.name, "due": Campaign.due_date}
CAMPAIGNS_PER_PAGE = 50


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns(
    request: Request, staff: Viewer, sort: str = "created", dir: str | None = None, offset: int = 0
) -> HTMLResponse:
    """The campaigns, newest first unless sorted otherwise, a page at a time, and the form to create one."""
    sort = sort if sort in CAMPAIGN_SORTS else "created"
    descending = dir == "desc" if dir is not None else sort == "created"  # newest first by default
    listing = {"sort": sort, "dir": "desc" if descending else ""}
    return page(request, "campaigns.html", _list_context(request, staff, listing=listing, offset=offset))


def _list_context(
    request: Request, staff: Staff, listing: dict[str, str] | None = None, offset: int = 0, **extra: Any
) -> dict[str, Any]:
    settings = state(request).settings
    listing = listing or {"sort": "created", "dir": "desc"}
    offset = max(offset, 0)
    key = CAMPAIGN_SORTS[listing["sort"]]
    counts = select(Survey.campaign_id, func.count().label("n")).group_by(Survey.campaign_id).subquery()
    with state(request).sessions() as session:
        rows = session.execute(
            select(Campaign, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.campaign_id == Campaign.id)
            .order_by(key.desc() if listing["dir"] else key.asc(), Campaign.id.desc())
            .offset(offset)
            .limit(CAMPAIGNS_PER_PAGE + 1)
        ).all()
    form = {
        "name": "",
        "template": "CMRT",
        "due": "",
        "reminder_every": settings.reminder_every,
        "reminders": settings.reminders,
        "escalation_after": settings.escalation_after,
    }
    return {
        "staff": staff,
        "campaigns": [{"c": c, "cases": n} for c, n in rows[:CAMPAIGNS_PER_PAGE]],
        "listing": listing,
        "sorts": list(CAMPAIGN_SORTS),
        "offset": offset,
        "more": len(rows) > CAMPAIGNS_PER_PAGE,
        "per_page": CAMPAIGNS_PER_PAGE,
        "templates": [t.value for t in TemplateFamily],
        "form": form | extra.pop("form", {}),
        "error": "",
        **extra,
    }


@router.post("/campaigns", dependencies=[Depends(check_csrf)])
def create(
    request: Request,
    staff: Analyst,
    name: Annotated[str, Form(max_length=64)],
    template: Annotated[str, Form(max_length=8)],
    due: Annotated[str, Form(max_length=64)],
    reminder_every: Annotated[str, Form(max_length=16)],
    reminders: Annotated[int, Form(ge=0, le=50)],
    escalation_after: Annotated[str, Form(max_length=16)],
) -> Response:
    """Create a campaign with no supplier yet (nothing starts before its list is imported)."""
    name, reminder_every, escalation_after = name.strip(), reminder_every.strip(), escalation_after.strip()
    sent = {
        "name": name,
        "template": template,
        "due": due,
        "reminder_every": reminder_every,
        "reminders": reminders,
        "escalation_after": escalation_after,
    }
    try:
        plan = CampaignPlan(
            name=name,
            template=TemplateFamily(template),
            due_at=parse_due(due),
            reminder_every=reminder_every,
            reminders=reminders,
            escalation_after=escalation_after,
            page_size=state(request).settings.campaign_page_size,
        )
        check_plan(plan)
        with state(request).sessions() as session:
            if session.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
                raise CampaignConflict(f"a campaign named {name!r} exists already; choose another name")
        enrol(state(request).sessions, plan, [], actor=staff.email)
    except ValueError as exc:  # CampaignConflict too
        context = _list_context(request, staff, form=sent, error=_sentence(str(exc)))
        return page(request, "campaigns.html", context, status_code=400)
    return RedirectResponse(f"/campaigns/{name}?done=created", status_code=303)


def _sentence(text: str) -> str:
    text = text.replace("--reminders", "Reminders")
    return text[0].upper() + text[1:] if text else text


def _campaign(session: Session, name: str) -> Campaign:
    try:
        return find_campaign(session, name)
    except CampaignError as exc:
        raise HTTPException(404, str(exc)) from None


def _detail(request: Request, staff: Staff, name: str, offset: int = 0, **extra: Any) -> dict[str, Any]:
    with state(request).sessions() as session:
        campaign = _campaign(session, name)
        counts = stage_counts(session, campaign.id)
        enrolled = session.execute(
            select(Survey.id, Survey.stage, Supplier.supplier_id, Supplier.name, Supplier.email)
            .join(Supplier, Supplier.id == Survey.supplier_id)
            .where(Survey.campaign_id == campaign.id)
            .order_by(Survey.id)
            .offset(offset)
            .limit(ENROLLED_SHOWN)
        ).all()
        paused = reminders_paused(session, campaign.id)
    total = sum(counts.values())
    pending = counts.get(Stage.PENDING.value, 0)
    return {
        "staff": staff,
        "campaign": campaign,
        "counts": [(s.value, counts[s.value]) for s in Stage if counts.get(s.value)],
        "total": total,
        "enrolled": enrolled,
        "offset": offset,
        "shown": ENROLLED_SHOWN,
        "paused": paused,
        "can_start": pending > 0 and campaign.status != CampaignStatus.STARTING,
        "can_hold": campaign.status == CampaignStatus.STARTED,
        "notice": "",
        "errors": [],
        "more_errors": 0,
        "file_name": "",
        "preview": None,
        **extra,
    }


@router.get("/campaigns/{name}", response_class=HTMLResponse)
def campaign_page(
    request: Request, name: str, staff: Viewer, done: str = "", offset: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    """A campaign: its parameters, counts by stage, the suppliers enrolled, and what can be done next."""
    context = _detail(request, staff, name, offset, notice=NOTICES.get(done, ""))
    return page(request, "campaign.html", context)


def _store(request: Request) -> Path:
    return state(request).settings.resolved_file_store_dir()


@router.post("/campaigns/{name}/suppliers", dependencies=[Depends(check_csrf)])
async def upload_list(request: Request, name: str, staff: Analyst, file: UploadFile) -> Response:
    """Check every line of the supplier list: the bad ones listed (nothing imported), or a preview of what
    importing it does, to confirm."""
    data = await file.read(MAX_LIST_BYTES + 1)
    file_name = (file.filename or "suppliers.csv")[-200:]
    if len(data) > MAX_LIST_BYTES:
        message = f"{file_name} is larger than {MAX_LIST_BYTES // (1024 * 1024)} MB; split the list"
        context = _detail(request, staff, name, errors=[message], file_name=file_name)
        return page(request, "campaign.html", context, status_code=413)
    try:
        checked = await run_in_threadpool(
            check_list, state(request).sessions, _store(request), name, file_name, data
        )
    except CampaignError as exc:
        raise HTTPException(404, str(exc)) from None
    except ValueError as exc:  # the due date has passed
        context = _detail(request, staff, name, errors=[_sentence(str(exc))], file_name=file_name)
        return page(request, "campaign.html", context, status_code=409)
    context = await run_in_threadpool(
        _detail,
        request,
        staff,
        name,
        file_name=file_name,
        errors=checked.errors[:ERRORS_SHOWN],
        more_errors=max(len(checked.errors) - ERRORS_SHOWN, 0),
        preview=checked.preview,
        rows=checked.rows,
        list_token=checked.token,
    )
    return page(request, "campaign.html", context, status_code=422 if checked.errors else 200)


@router.post("/campaigns/{name}/suppliers/import", dependencies=[Depends(check_csrf)])
async def import_(
    request: Request,
    name: str,
    staff: Analyst,
    token: Annotated[str, Form(max_length=64)],
    file_name: Annotated[str, Form(max_length=200)] = "suppliers.csv",
) -> Response:
    """Import the previewed list: suppliers created or updated, each enrolled once."""
    factory, store = state(request).sessions, _store(request)
    try:
        await run_in_threadpool(import_list, factory, store, name, token, staff.email)
    except CampaignError as exc:
        raise HTTPException(404, str(exc)) from None
    except (StashGone, ValueError) as exc:  # CampaignConflict, a due date passed
        context = _detail(request, staff, name, errors=[_sentence(str(exc))], file_name=file_name)
        return page(request, "campaign.html", context, status_code=409)
    return RedirectResponse(f"/campaigns/{name}?done=imported", status_code=303)


@router.post("/campaigns/{name}/start", dependencies=[Depends(check_csrf)])
async def start(request: Request, name: str, staff: Analyst) -> Response:
    """Start (or resume starting) the campaign workflow: one survey, and one request email, per supplier."""
    context = await run_in_threadpool(_detail, request, staff, name)
    campaign: Campaign = context["campaign"]
    if not context["can_start"]:
        context["errors"] = [
            "There is no enrolled supplier waiting to start: upload the supplier list first."
        ]
        return page(request, "campaign.html", context, status_code=409)
    try:
        with state(request).sessions() as session:
            check_startable(session, campaign)
    except CampaignError as exc:
        context["errors"] = [_sentence(str(exc))]
        return page(request, "campaign.html", context, status_code=409)
    try:
        client = await state(request).gateway.client()
        await start_campaign_workflow(client, state(request).settings, campaign)
    except (WorkflowUnavailable, RuntimeError) as exc:
        context["errors"] = [f"The campaign could not be started now: {exc}. Try again in a minute."]
        return page(request, "campaign.html", context, status_code=503)
    return RedirectResponse(f"/campaigns/{name}?done=started", status_code=303)


async def _hold(request: Request, name: str, staff: Staff, pause: bool, reason: str) -> Response:
    factory = state(request).sessions
    try:
        hold = await run_in_threadpool(hold_reminders, factory, name, pause, staff.email, reason.strip())
    except CampaignError as exc:
        context = await run_in_threadpool(_detail, request, staff, name, errors=[_sentence(str(exc))])
        return page(request, "campaign.html", context, status_code=409)
    try:
        _, problems = await tell_surveys(await state(request).gateway.client(), hold, staff.email, reason)
    except (WorkflowUnavailable, RuntimeError):
        problems = ["Temporal is not reachable"]
    done = "untold" if problems else ("paused" if pause else "resumed")
    return RedirectResponse(f"/campaigns/{name}?done={done}", status_code=303)


@router.post("/campaigns/{name}/pause", dependencies=[Depends(check_csrf)])
async def pause(
    request: Request, name: str, staff: Analyst, reason: Annotated[str, Form(max_length=500)] = ""
) -> Response:
    """Hold the reminders, escalations and overdue marking of every open case of the campaign."""
    return await _hold(request, name, staff, True, reason)


@router.post("/campaigns/{name}/resume", dependencies=[Depends(check_csrf)])
async def resume(
    request: Request, name: str, staff: Analyst, reason: Annotated[str, Form(max_length=500)] = ""
) -> Response:
    """Resume the campaign's reminders."""
    return await _hold(request, name, staff, False, reason)
