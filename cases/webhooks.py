"""Webhooks, once for the CLI, the API and the worker: add (secret shown once), list with the last
delivery's status, remove, and the case events read from the audit trail for each subscriber."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from models.audit import AuditChainHead, AuditEvent
from models.audit_chain import iso_at
from models.base import utcnow
from models.webhook_messages import DispatchInput
from models.webhooks import Webhook, WebhookDelivery
from workflows.webhook import DISPATCH_ID, WebhookDispatchWorkflow

PING = "webhook.test"
# Case events a webhook may subscribe to, each read from the audit trail (see `event_of`).
EVENTS = ("case.stage_changed", "action.opened", "action.status_changed", "supplier.changed", PING)
BATCH = 500  # audit events read per collection


class WebhookError(ValueError):
    """The webhook cannot be added or changed as asked; the message says why."""


@dataclass(frozen=True)
class Collected:
    """The audit trail read up to `after_seq`, and the deliveries it made (to start)."""

    after_seq: int
    deliveries: list[int]


def parse_events(text: str) -> list[str]:
    """Event names from `a,b,c`; every one must be known."""
    names = list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in EVENTS]
    if unknown or not names:
        raise WebhookError(
            f"unknown event(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(EVENTS)}"
        )
    return names


def head_seq(session: Session) -> int:
    """The audit chain's last seq (0 when empty)."""
    head = session.get(AuditChainHead, 1)
    return head.seq if head is not None else 0


def add_webhook(
    factory: sessionmaker[Session], url: str, events: list[str], *, actor: str
) -> tuple[Webhook, str]:
    """A new webhook (audited) told of events from now on; returns it with its signing secret."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2000:
        raise WebhookError(f"{url!r} is not an http(s) URL")
    secret = "whsec_" + secrets.token_urlsafe(32)
    with factory.begin() as session:
        hook = Webhook(url=url, events=events, secret=secret, created_by=actor, after_seq=head_seq(session))
        session.add(hook)
        session.flush()
        after = {"url": url, "events": events}
        session.add(
            AuditEvent(actor=actor, action="webhook.added", subject=f"webhook:{hook.id}", after=after)
        )
    return hook, secret


def remove_webhook(factory: sessionmaker[Session], webhook_id: int, *, actor: str) -> Webhook:
    """Stop telling a webhook anything (audited); deliveries on their way stop too."""
    with factory.begin() as session:
        hook = session.get(Webhook, webhook_id) if 0 < webhook_id < 2**63 else None
        if hook is None or not hook.active:
            raise WebhookError(f"there is no webhook {webhook_id}; see `minerals webhooks list`")
        hook.active = False
        session.add(AuditEvent(actor=actor, action="webhook.removed", subject=f"webhook:{hook.id}", after={}))
    return hook


def webhook_rows(session: Session) -> list[dict[str, Any]]:
    """Every active webhook with its last delivery (event, status, attempts, code, error)."""
    latest = select(func.max(WebhookDelivery.id)).group_by(WebhookDelivery.webhook_id)
    last = {
        d.webhook_id: d
        for d in session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(latest)))
    }
    rows = []
    for hook in session.scalars(select(Webhook).where(Webhook.active).order_by(Webhook.id)):
        d = last.get(hook.id)
        rows.append(
            {
                "id": hook.id,
                "url": hook.url,
                "events": list(hook.events),
                "created_at": iso_at(hook.created_at),
                "last_delivery": None
                if d is None
                else {
                    "event_id": d.event_id,
                    "event": d.event,
                    "status": d.status,
                    "attempts": d.attempts,
                    "status_code": d.last_status_code,
                    "error": d.last_error,
                    "at": iso_at(d.last_attempt_at) if d.last_attempt_at else None,
                },
            }
        )
    return rows


def event_of(ev: AuditEvent) -> tuple[str, dict[str, Any]] | None:
    """The webhook event an audit event is, with its data; None for the rest."""
    kind, _, key = ev.subject.partition(":")
    before, after = ev.before or {}, ev.after or {}
    common = {"actor": ev.actor, "at": iso_at(ev.at), "audit_seq": ev.seq}
    if kind == "survey" and "stage" in after and before.get("stage") != after["stage"]:
        return "case.stage_changed", {
            "case": int(key),
            "from": before.get("stage"),
            "to": after["stage"],
            **common,
        }
    if ev.action == "action.planned":
        return "action.opened", {
            "action": int(key),
            "case": after.get("survey_id"),
            "kind": after.get("kind"),
            **common,
        }
    if kind == "action" and "status" in after and before.get("status") != after["status"]:
        return "action.status_changed", {
            "action": int(key),
            "from": before.get("status"),
            "to": after["status"],
            **common,
        }
    if ev.action in ("supplier.created", "supplier.updated"):
        return "supplier.changed", {
            "supplier_id": key,
            "change": ev.action.removeprefix("supplier."),
            **common,
        }
    if ev.action == PING:
        return PING, {"webhook": int(key), **common}
    return None


def _deliver(session: Session, hooks: Iterable[Webhook], ev: AuditEvent) -> list[int]:
    found = event_of(ev)
    if found is None:
        return []
    name, data = found
    made = []
    for hook in hooks:
        wanted = (name in hook.events or name == PING) and ev.seq > hook.after_seq
        if wanted and (name != PING or ev.subject == f"webhook:{hook.id}"):
            event_id = f"evt_{ev.seq}"  # the audit event's place: the same event always has the same id
            query = select(WebhookDelivery.id).filter_by(webhook_id=hook.id, event_id=event_id)
            existing = session.scalar(query)
            if existing is None:
                delivery = WebhookDelivery(webhook_id=hook.id, event_id=event_id, event=name, payload=data)
                session.add(delivery)
                session.flush()
                existing = delivery.id
            made.append(existing)
    return made


def collect(factory: sessionmaker[Session], after_seq: int | None) -> Collected:
    """Deliveries for the audit events after `after_seq` (None: where the oldest webhook began); running it
    again with the same `after_seq` makes no new rows and returns the same deliveries."""
    with factory.begin() as session:
        if after_seq is None:  # a new dispatcher: from where the oldest webhook began, so nothing is missed
            oldest = session.scalar(select(func.min(Webhook.after_seq)).where(Webhook.active))
            return Collected(head_seq(session) if oldest is None else oldest, [])
        hooks = list(session.scalars(select(Webhook).where(Webhook.active)))
        query = select(AuditEvent).where(AuditEvent.seq > after_seq).order_by(AuditEvent.seq).limit(BATCH)
        events = list(session.scalars(query))
        made = [d for ev in events for d in _deliver(session, hooks, ev)] if hooks else []
        return Collected(events[-1].seq if events else after_seq, made)


def ping(factory: sessionmaker[Session], webhook_id: int, *, actor: str) -> None:
    """Record a test event for one webhook; the dispatcher delivers it like any other."""
    with factory.begin() as session:
        hook = session.get(Webhook, webhook_id) if 0 < webhook_id < 2**63 else None
        if hook is None or not hook.active:
            raise WebhookError(f"there is no webhook {webhook_id}; see `minerals webhooks list`")
        session.add(
            AuditEvent(
                actor=actor, action=PING, subject=f"webhook:{hook.id}", after={"at": utcnow().isoformat()}
            )
        )


def has_webhooks(factory: sessionmaker[Session]) -> bool:
    """Whether any webhook is active, so its events need the dispatcher."""
    with factory() as session:
        return session.scalar(select(Webhook.id).where(Webhook.active).limit(1)) is not None


async def start_dispatcher(client: Client, task_queue: str) -> str:
    """Start (or join) the workflow that reads case events for every webhook; starting twice is a no-op."""
    handle = await client.start_workflow(
        WebhookDispatchWorkflow.run,
        DispatchInput(),
        id=DISPATCH_ID,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    return handle.id
