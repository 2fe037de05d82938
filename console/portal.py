"""The supplier portal: a signed, expiring link opens one case; upload, see what to fix, upload again."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from starlette.datastructures import UploadFile
from starlette.types import Message, Receive

from activities.compose import mail_language
from activities.filestore import TooLarge, store_upload
from activities.links import LinkError
from console.gateway import Refused, WorkflowUnavailable
from console.portal_text import words
from console.render import page
from console.state import ConsoleState, state
from models.campaign import Campaign
from models.corrective import CorrectiveAction
from models.enums import ActionStatus, Stage
from models.files import StoredFile
from models.supplier import Supplier
from models.survey import Survey

router = APIRouter()
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the CSRF field around the file


class BodyTooLarge(Exception):
    """The request body passed the limit while it was being read."""


def limited(receive: Receive, limit: int) -> Receive:
    """`receive` that stops the upload as soon as more than `limit` bytes arrived."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return wrapped


def portal_csrf(console: ConsoleState, token: str) -> str:
    """The form field that proves a POST came from the page the link opened."""
    return hmac.new(console.portal_key.encode(), token.encode(), hashlib.sha256).hexdigest()


def _case(console: ConsoleState, survey_id: int) -> dict[str, Any] | None:
    with console.sessions() as session:
        found = session.execute(
            select(Survey, Campaign, Supplier)
            .join(Campaign, Survey.campaign_id == Campaign.id)
            .join(Supplier, Survey.supplier_id == Supplier.id)
            .where(Survey.id == survey_id)
        ).first()
        if found is None:
            return None
        survey, campaign, supplier = found
        # The file the workflow took last (a file it refused never replaces the shown result).
        latest = session.get(StoredFile, survey.last_file_id) if survey.last_file_id else None
        # A finished case still takes a new template while corrective actions wait for one.
        open_actions = session.scalar(
            select(func.count())
            .select_from(CorrectiveAction)
            .where(
                CorrectiveAction.survey_id == survey_id,
                CorrectiveAction.status.in_([ActionStatus.OPEN, ActionStatus.REJECTED]),
            )
        )
    return {
        "survey": survey,
        "workflow_id": survey.workflow_id,
        "campaign": campaign.name,
        "template": campaign.template,
        "supplier": supplier.name,
        "language": supplier.language,
        "due": survey.due_at.strftime("%Y-%m-%d"),
        "final": Stage(survey.stage).final and not open_actions,
        "stage": survey.stage,
        "latest": latest,
    }


def _invalid(request: Request, reason: str) -> HTMLResponse:
    return page(request, "portal_invalid.html", {"reason": reason}, status_code=403)


def _open(request: Request, token: str) -> tuple[int, dict[str, Any]] | HTMLResponse:
    console = state(request)
    try:
        survey_id = console.links.verify(token, dt.datetime.now(dt.UTC))
    except LinkError as exc:
        return _invalid(request, str(exc))
    case = _case(console, survey_id)
    if case is None:
        return _invalid(request, "this upload link is not valid; use the link from your latest email")
    return survey_id, case


def _portal(
    request: Request, token: str, case: dict[str, Any], error: str = "", status: int = 200
) -> HTMLResponse:
    console = state(request)
    text = words(case["language"])
    context = {
        "case": case,
        "t": text,
        "token": token,
        "portal_csrf": portal_csrf(console, token),
        "error": error,
        "lang": mail_language(case["language"]),
    }
    return page(request, "portal.html", context, status_code=status)


@router.get("/upload/{token}", response_class=HTMLResponse)
def portal(request: Request, token: str) -> HTMLResponse:
    """The case's upload page with the latest file's check result."""
    opened = _open(request, token)
    if isinstance(opened, HTMLResponse):
        return opened
    return _portal(request, token, opened[1])


@router.post("/upload/{token}")
async def upload(request: Request, token: str) -> Response:
    """Store the file (size-limited while it streams in) and offer it to the survey workflow."""
    opened = await run_in_threadpool(_open, request, token)
    if isinstance(opened, HTMLResponse):
        return opened
    survey_id, case = opened
    console = state(request)
    text = words(case["language"])
    if case["final"]:  # the workflow would refuse it: do not even store it
        return _portal(request, token, case, text["finished"].format(stage=case["stage"]), 409)
    limit = console.settings.max_upload_bytes
    too_large = text["too_large"].format(limit=round(limit / 1024 / 1024, 1))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD:
        return _portal(request, token, case, too_large, 413)
    guarded = Request(request.scope, limited(request.receive, limit + FORM_OVERHEAD))
    try:
        async with guarded.form(max_files=1, max_fields=4) as form:
            sent = form.get("csrf")
            if not isinstance(sent, str) or not hmac.compare_digest(sent, portal_csrf(console, token)):
                return _invalid(request, "this form has expired; open the link from your email again")
            file = form.get("file")
            if not isinstance(file, UploadFile) or not file.filename:
                return _portal(request, token, case, text["no_file"], 400)
            stored = await run_in_threadpool(
                store_upload,
                console.sessions,
                console.settings.resolved_file_store_dir(),
                survey_id,
                file.file,
                file.filename,
                max_bytes=limit,
            )
    except (BodyTooLarge, TooLarge):
        return _portal(request, token, case, too_large, 413)
    try:
        await console.gateway.submit_upload(case["workflow_id"], stored)
    except Refused as exc:
        fresh = await run_in_threadpool(_case, console, survey_id)
        return _portal(request, token, fresh or case, text["rejected"].format(reason=exc), 422)
    except WorkflowUnavailable:
        return _portal(request, token, case, text["unavailable"], 503)
    return RedirectResponse(f"/upload/{token}", status_code=303)
