"""The console's integrations page: admins see tokens (never a secret) and each webhook's last delivery."""

from __future__ import annotations

from console_kit import Console
from sqlalchemy import select

from cases.api_tokens import create_token
from cases.webhooks import add_webhook
from models.users import Role
from models.webhooks import WebhookDelivery


def test_admins_see_tokens_and_the_last_delivery_of_each_webhook(console: Console) -> None:
    _, secret = create_token(console.sessions, "erp", Role.ANALYST, actor="test")
    hook, hook_secret = add_webhook(
        console.sessions, "https://bi.test/in?<b>x</b>", ["supplier.changed"], actor="t"
    )
    with console.sessions.begin() as session:
        session.add(
            WebhookDelivery(
                webhook_id=hook.id,
                event_id="evt_9",
                event="supplier.changed",
                payload={},
                status="failed",
                attempts=12,
                last_status_code=500,
            )
        )
    assert console.sign_in("analyst@company.test") == 303
    assert console.client.get("/admin/integrations").status_code == 403
    assert console.sign_in("admin@company.test") == 303
    page = console.client.get("/admin/integrations")
    assert page.status_code == 200
    assert "erp" in page.text and secret not in page.text and hook_secret not in page.text
    assert "evt_9" in page.text and "12 attempt(s)" in page.text and "answered 500" in page.text
    assert "<b>x</b>" not in page.text and "&lt;b&gt;x&lt;/b&gt;" in page.text
    with console.sessions() as session:
        assert session.scalars(select(WebhookDelivery.status)).one() == "failed"
