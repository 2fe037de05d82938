"""The supplier portal: a signed, expiring link opens one case; upload, see what to fix, upload again;
send documents for the case's open corrective actions."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import FormData, UploadFile
from starlette.types import Message, Receive

from activities.evidence import ACCEPT, EvidenceRefused, store_evidence
from activities.filestore import TooLarge, store_upload
from activities.links import LinkError
from cases.gateway import NotStarted, Refused, WorkflowUnavailable
from console.portal_actions import SUPPLIER, case_actions
from console.portal_text import finished_notice, invalid_notices, words
from console.render import page
from console.state import ConsoleState, state
from i18n import language_for, local_date
from models.campaign import Campaign
from models.enums import Stage
from models.files import StoredFile
from models.messages import SubmitEvidence
from models.supplier import Supplier
from models.survey import Survey
from risk.wording import translate
from workflows import CorrectiveActionWorkflow

router = APIRouter()
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the CSRF field around the file
SURVEY_START_WAIT = 10.0  # seconds an upload to a requested case waits for the campaign to start its survey


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
        actions = case_actions(session, survey_id)
    language = language_for(supplier.language)
    for action in actions:  # stored in English; the supplier reads them in their language
        action["required_outcome"] = translate(action["required_outcome"], language)
        action["findings"] = [translate(f, language) for f in action["findings"]]
    return {
        "survey": survey,
        "workflow_id": survey.workflow_id,
        "campaign": campaign.name,
        "template": campaign.template,
        "supplier": supplier.name,
        "language": supplier.language,
        "due": local_date(survey.due_at, language),
        # A finished case still takes a new template while corrective actions wait for one.
        "final": Stage(survey.stage).final and not any(a["open"] for a in actions),
        "stage": survey.stage,
        "latest": latest,
        "actions": actions,
    }


def _invalid(request: Request, reason: str) -> HTMLResponse:
    context = {"reason": reason, "notices": invalid_notices()}
    return page(request, "portal_invalid.html", context, status_code=403)


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
    request: Request,
    token: str,
    case: dict[str, Any],
    error: str = "",
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    console = state(request)
    text = words(case["language"])
    context = {
        "case": case,
        "t": text,
        "finished": finished_notice(text, case["stage"]),
        "token": token,
        "portal_csrf": portal_csrf(console, token),
        "error": error,
        "lang": language_for(case["language"]),
        "evidence_accept": ACCEPT,
        "sent": "",
        "draft": {},
        **extra,
    }
    return page(request, "portal.html", context, status_code=status)


def _expired(request: Request) -> HTMLResponse:
    """The page for a form whose CSRF field is missing or not this link's."""
    return _invalid(request, "this form has expired; open the link from your email again")


def _too_large(request: Request, token: str, case: dict[str, Any]) -> HTMLResponse:
    """The portal with the size limit in the supplier's language."""
    limit = state(request).settings.max_upload_bytes
    message = words(case["language"])["too_large"].format(limit=round(limit / 1024 / 1024, 1))
    return _portal(request, token, case, message, 413)


def _declared_too_large(request: Request) -> bool:
    """True when the request says up front that its body is over the limit."""
    declared = request.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > state(request).settings.max_upload_bytes + FORM_OVERHEAD


def _guarded(request: Request) -> Request:
    """The request whose body stops being read past the upload limit."""
    limit = state(request).settings.max_upload_bytes + FORM_OVERHEAD
    return Request(request.scope, limited(request.receive, limit))


def _csrf_ok(form: FormData, console: ConsoleState, token: str) -> bool:
    """True when the form carries this link's CSRF field."""
    sent = form.get("csrf")
    return isinstance(sent, str) and hmac.compare_digest(sent, portal_csrf(console, token))


@router.get("/upload/{token}", response_class=HTMLResponse)
def portal(request: Request, token: str, sent: str = "") -> HTMLResponse:
    """The case's upload page with the latest file's check result and its open corrective actions."""
    opened = _open(request, token)
    if isinstance(opened, HTMLResponse):
        return opened
    case = opened[1]
    known = [a["number"] for a in case["actions"] if str(a["n"]) == sent]
    return _portal(request, token, case, sent=known[0] if known else "")


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
        return _portal(request, token, case, finished_notice(text, case["stage"]), 409)
    if _declared_too_large(request):
        return _too_large(request, token, case)
    try:
        async with _guarded(request).form(max_files=1, max_fields=4) as form:
            if not _csrf_ok(form, console, token):
                return _expired(request)
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
                max_bytes=console.settings.max_upload_bytes,
            )
    except (BodyTooLarge, TooLarge):
        return _too_large(request, token, case)
    waiting = case["stage"] != Stage.PENDING  # recorded as requested: its survey is being started
    wait = SURVEY_START_WAIT if waiting else 0
    try:  # a refused file's row says so too, with the reason
        await console.gateway.submit_stored(console.sessions, case["workflow_id"], stored, SUPPLIER, wait)
    except Refused as exc:
        fresh = await run_in_threadpool(_case, console, survey_id)
        return _portal(request, token, fresh or case, text["rejected"].format(reason=exc), 422)
    except WorkflowUnavailable as exc:
        if isinstance(exc, NotStarted) or not waiting:  # no survey workflow yet: the campaign starts it
            return _portal(request, token, case, text["not_started"], 409)
        return _portal(request, token, case, text["unavailable"], 503)
    return RedirectResponse(f"/upload/{token}", status_code=303)


def _chosen(case: dict[str, Any], field: object) -> dict[str, Any] | None:
    """The action a form names, only when it is one of this case's (a token never reaches another)."""
    wanted = int(field) if isinstance(field, str) and field.isdigit() else None
    return next((a for a in case["actions"] if a["id"] == wanted), None)


@router.post("/upload/{token}/evidence")
async def evidence(request: Request, token: str) -> Response:
    """Store a document for one of the case's open actions and offer it to that action's workflow."""
    opened = await run_in_threadpool(_open, request, token)
    if isinstance(opened, HTMLResponse):
        return opened
    survey_id, case = opened
    console = state(request)
    text = words(case["language"])
    if _declared_too_large(request):
        return _too_large(request, token, case)
    try:
        async with _guarded(request).form(max_files=1, max_fields=6) as form:
            if not _csrf_ok(form, console, token):
                return _expired(request)
            action = _chosen(case, form.get("action"))
            if action is None:
                return _portal(request, token, case, text["no_action"], 404)
            if not action["open"]:
                closed = text["action_closed"].format(n=action["number"], status=action["status"])
                return _portal(request, token, case, closed, 409)
            note = form.get("note")
            draft = {"action": action["id"], "note": note if isinstance(note, str) else ""}
            file = form.get("file")
            if not isinstance(file, UploadFile) or not file.filename:
                return _portal(request, token, case, text["no_file"], 400, draft=draft)
            offer = await run_in_threadpool(
                store_evidence,
                console.sessions,
                console.settings.resolved_file_store_dir(),
                survey_id,
                file.file,
                file.filename,
                submitted_by=SUPPLIER,
                note=draft["note"],
                max_bytes=console.settings.max_upload_bytes,
            )
    except (BodyTooLarge, TooLarge):
        return _too_large(request, token, case)
    except EvidenceRefused:
        return _portal(request, token, case, text["wrong_type"], 415, draft=draft)
    return await _offer(request, token, case, action, offer, draft)


async def _offer(
    request: Request,
    token: str,
    case: dict[str, Any],
    action: dict[str, Any],
    offer: SubmitEvidence,
    draft: dict[str, Any],
) -> Response:
    """Send the stored document to the action's workflow; a refusal or an outage is said in plain words."""
    console = state(request)
    text = words(case["language"])
    try:
        await console.gateway.update(action["workflow_id"], CorrectiveActionWorkflow.submit_evidence, offer)
    except Refused as exc:
        fresh = await run_in_threadpool(_case, console, case["survey"].id)
        message = text["evidence_refused"].format(n=action["number"], reason=exc)
        return _portal(request, token, fresh or case, message, 409)
    except WorkflowUnavailable:
        return _portal(request, token, case, text["evidence_unavailable"], 503, draft=draft)
    return RedirectResponse(f"/upload/{token}?sent={action['n']}#action-{action['n']}", status_code=303)
