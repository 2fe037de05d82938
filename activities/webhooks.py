"""Webhook activities: read new events from the audit trail, and POST one signed delivery."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from concurrent.futures import Executor

import httpx
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.blocking import Blocking
from cases import webhooks
from models.base import utcnow
from models.webhook_messages import Collected, DeliveryOutcome, WebhookActivity
from models.webhooks import Webhook, WebhookDelivery

TIMEOUT = 10.0  # seconds a receiver has to answer
ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER = (
    "Minerals-Webhook-Id",
    "Minerals-Webhook-Timestamp",
    "Minerals-Webhook-Signature",
)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of `timestamp.body` with the webhook's secret."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def body_of(delivery: WebhookDelivery) -> bytes:
    """The JSON a receiver gets: the stable event id, its type and data."""
    event = {"id": delivery.event_id, "type": delivery.event, "data": delivery.payload}
    return json.dumps(event, sort_keys=True, ensure_ascii=False).encode()


class WebhookActivities:
    """Reads events and delivers them; the session factory (and an HTTP transport, for tests) is injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        executor: Executor | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._sessions = sessions
        self._blocking = Blocking(executor)
        self._transport = transport

    @activity.defn(name=WebhookActivity.COLLECT)
    async def collect(self, after_seq: int | None) -> Collected:
        """Deliveries for the audit events after `after_seq`."""
        found = await self._blocking(webhooks.collect, self._sessions, after_seq)
        return Collected(after_seq=found.after_seq, deliveries=found.deliveries)

    @activity.defn(name=WebhookActivity.DELIVER)
    async def deliver(self, delivery_id: int) -> DeliveryOutcome:
        """POST the event once; anything but a 2xx answer fails the attempt, to be retried."""
        loaded = await self._blocking(self._load, delivery_id)
        if loaded is None:
            return DeliveryOutcome(delivery_id=delivery_id, status="dropped")
        url, secret, body = loaded
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "minerals-webhooks/1",
            ID_HEADER: json.loads(body)["id"],
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: "sha256=" + signature(secret, stamp, body),
        }
        code: int | None = None
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT, transport=self._transport) as client:
                code = (await client.post(url, content=body, headers=headers)).status_code
            error = "" if 200 <= code < 300 else f"the receiver answered {code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        attempts = await self._blocking(self._record, delivery_id, code, error)
        if error:
            raise ApplicationError(f"delivery {delivery_id}: {error}", non_retryable=code == 410)
        return DeliveryOutcome(delivery_id=delivery_id, status="delivered", attempts=attempts)

    @activity.defn(name=WebhookActivity.GIVE_UP)
    async def give_up(self, delivery_id: int) -> None:
        """Mark a delivery failed for good (its retries ran out)."""
        await self._blocking(self._fail, delivery_id)

    def _load(self, delivery_id: int) -> tuple[str, str, bytes] | None:
        with self._sessions() as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            hook = session.get(Webhook, delivery.webhook_id) if delivery else None
            if delivery is None or hook is None or not hook.active or delivery.status == "delivered":
                return None
            return hook.url, hook.secret, body_of(delivery)

    def _record(self, delivery_id: int, code: int | None, error: str) -> int:
        with self._sessions.begin() as session:
            delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
            assert delivery is not None
            delivery.attempts += 1
            delivery.last_status_code, delivery.last_error = code, error
            delivery.last_attempt_at = utcnow()
            if not error:
                delivery.status, delivery.delivered_at = "delivered", delivery.last_attempt_at
            return delivery.attempts

    def _fail(self, delivery_id: int) -> None:
        with self._sessions.begin() as session:
            delivery = session.get(WebhookDelivery, delivery_id, with_for_update=True)
            if delivery is not None and delivery.status == "pending":
                delivery.status = "failed"
