"""/webhooks (admin): receivers of case events, as `minerals webhooks` manages them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from cases.gateway import WorkflowUnavailable
from cases.webhooks import (
    WebhookError,
    add_webhook,
    parse_events,
    ping,
    remove_webhook,
    start_dispatcher,
    webhook_rows,
)
from console.api.auth import Admin
from console.api.problems import Problem
from console.state import state

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class WebhookIn(BaseModel):
    """Where to POST, and which events."""

    url: str = Field(max_length=2000)
    events: list[str] = Field(min_length=1, max_length=10)


async def _dispatch(request: Request) -> bool:
    """Make sure the dispatcher runs; False when Temporal is away (events wait in the audit trail)."""
    try:
        await start_dispatcher(await state(request).gateway.client(), state(request).settings.task_queue)
    except (WorkflowUnavailable, RuntimeError):
        return False
    return True


@router.get("")
def webhooks(request: Request, caller: Admin) -> dict[str, Any]:
    """Every webhook with its last delivery (never its secret)."""
    with state(request).sessions() as session:
        return {"items": webhook_rows(session)}


@router.post("", status_code=201)
async def add(request: Request, body: WebhookIn, caller: Admin) -> dict[str, Any]:
    """Add a webhook; the answer holds its signing secret, this once."""
    try:
        events = parse_events(",".join(body.events))
        hook, secret = await run_in_threadpool(
            add_webhook, state(request).sessions, body.url, events, actor=caller.actor
        )
    except WebhookError as exc:
        raise Problem(422, str(exc), "invalid-webhook") from None
    return {
        "id": hook.id,
        "url": hook.url,
        "events": events,
        "secret": secret,
        "dispatching": await _dispatch(request),
    }


@router.post("/{webhook_id}/test", status_code=202)
async def test(request: Request, webhook_id: int, caller: Admin) -> dict[str, Any]:
    """Send the webhook a webhook.test event."""
    try:
        await run_in_threadpool(ping, state(request).sessions, webhook_id, actor=caller.actor)
    except WebhookError as exc:
        raise Problem(404, str(exc)) from None
    return {"webhook": webhook_id, "dispatching": await _dispatch(request)}


@router.delete("/{webhook_id}", status_code=204)
def remove(request: Request, webhook_id: int, caller: Admin) -> None:
    """Stop telling a webhook anything."""
    try:
        remove_webhook(state(request).sessions, webhook_id, actor=caller.actor)
    except WebhookError as exc:
        raise Problem(404, str(exc)) from None
