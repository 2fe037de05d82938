"""Webhooks on the real Temporal test server and worker: a receiver that fails, then recovers, gets every
event once per event id, each signed so its secret verifies it; a removed webhook hears nothing more."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select
from survey_kit import Kit, free_port, until

from cases.supplier_list import SupplierRow, upsert_suppliers
from cases.webhooks import add_webhook, ping, remove_webhook, webhook_rows
from models.messages import Cadence
from models.webhook_messages import DispatchInput
from models.webhooks import WebhookDelivery
from workflows import WebhookDispatchWorkflow

CADENCE = Cadence(reminder_every="2d", reminders=1, escalation_after="1d", reopen_window="1d")
QUICK = DispatchInput(poll_seconds=0.2, retry_seconds=0.2, max_retry_seconds=1.0)


@dataclass
class Receiver:
    """An HTTP receiver that answers 503 to its first `failures` requests, then 200; keeps every request."""

    port: int
    failures: int
    requests: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def accepted(self) -> list[dict[str, Any]]:
        """The events answered with 200."""
        with self.lock:
            return [json.loads(body) for code, _, body in self.requests if code == 200]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(free_port(), failures=3)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with found.lock:
                code = 503 if len(found.requests) < found.failures else 200
                found.requests.append((code, dict(self.headers), body))
            self.send_response(code)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", found.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()


def verified(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The README's verification: HMAC-SHA256 over `timestamp.body`, compared in constant time."""
    stamp = headers["Minerals-Webhook-Timestamp"]
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest("sha256=" + expected, headers["Minerals-Webhook-Signature"])


def supplier(supplier_id: str) -> SupplierRow:
    return SupplierRow(line=1, supplier_id=supplier_id, name=f"Supplier {supplier_id}", email="a@b.test")


async def test_a_receiver_that_fails_then_recovers_gets_every_event_once(
    kit: Kit, receiver: Receiver
) -> None:
    events = ["case.stage_changed", "supplier.changed"]
    hook, secret = add_webhook(kit.sessions, receiver.url, events, actor="test")
    async with kit.worker():
        await kit.client.start_workflow(
            WebhookDispatchWorkflow.run, QUICK, id="webhook-dispatch-test", task_queue=kit.task_queue
        )
        upsert_suppliers(kit.sessions, [supplier("W1"), supplier("W2")], actor="erp")
        inp, wid = await kit.survey("W3", CADENCE, due_in=dt.timedelta(days=10))
        await kit.start(inp, wid)
        ping(kit.sessions, hook.id, actor="test")

        def delivered() -> list[WebhookDelivery]:
            with kit.sessions() as session:
                return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))

        await until(
            lambda: len(delivered()) >= 4 and all(d.status == "delivered" for d in delivered()), "delivery"
        )
        rows = delivered()
        await until(lambda: len(receiver.accepted()) == len(rows), "every event accepted")
        kit.tracked += ["webhook-dispatch-test", *(f"webhook-delivery-{d.id}" for d in rows)]  # for replay

    accepted = receiver.accepted()
    ids = [e["id"] for e in accepted]
    assert len(ids) == len(set(ids)) == len(rows)  # once per event id
    assert set(ids) == {d.event_id for d in rows}
    kinds = [e["type"] for e in accepted]
    assert sorted(kinds) == ["case.stage_changed", "supplier.changed", "supplier.changed", "webhook.test"]
    changes = [e["data"] for e in accepted if e["type"] == "case.stage_changed"]
    assert {"case": inp.survey_id, "from": "pending", "to": "requested"}.items() <= changes[0].items()
    assert sum(code == 503 for code, _, _ in receiver.requests) == 3  # the failures were retried
    assert all(verified(secret, headers, body) for _, headers, body in receiver.requests)
    assert not verified("whsec_other", *receiver.requests[-1][1:])
    with kit.sessions() as session:
        last = webhook_rows(session)[0]["last_delivery"]
    assert last["status"] == "delivered" and last["status_code"] == 200


async def test_a_removed_webhook_hears_nothing_more(kit: Kit, receiver: Receiver) -> None:
    receiver.failures = 0
    removed, secret = add_webhook(kit.sessions, receiver.url, ["supplier.changed"], actor="test")
    add_webhook(kit.sessions, receiver.url, ["supplier.changed"], actor="test")
    async with kit.worker():
        await kit.client.start_workflow(
            WebhookDispatchWorkflow.run, QUICK, id="webhook-dispatch-test", task_queue=kit.task_queue
        )
        upsert_suppliers(kit.sessions, [supplier("R1")], actor="erp")
        await until(lambda: len(receiver.accepted()) == 2, "the first event, at both webhooks")
        remove_webhook(kit.sessions, removed.id, actor="test")
        upsert_suppliers(kit.sessions, [supplier("R2")], actor="erp")
        await until(lambda: len(receiver.accepted()) == 3, "the second event, at the webhook kept")
    told = [
        json.loads(body)["data"]["supplier_id"]
        for _, h, body in receiver.requests
        if verified(secret, h, body)
    ]
    assert told == ["R1"]
