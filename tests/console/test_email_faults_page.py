"""The console shows what is wrong with email (unsent, oldest wait, bounces, last error) on the dashboard
and the case page, and staff with the analyst role correct a supplier's address there (CSRF, audited)."""

from __future__ import annotations

import datetime as dt
import re

from console_kit import Console
from sqlalchemy import select

from models.audit import AuditEvent
from models.outbox import EmailMessage
from models.supplier import Supplier


def add_email(console: Console, case: int, key: str, **state: object) -> None:
    now = dt.datetime.now(dt.UTC)
    with console.sessions.begin() as session:
        session.add(
            EmailMessage(
                survey_id=case,
                kind="request",
                to=["s1@supplier.test"],
                cc=[],
                subject="Please <send> your CMRT",
                text_body="x",
                html_body="x",
                idempotency_key=key,
                created_at=now - dt.timedelta(hours=3),
                **state,
            )
        )


def test_dashboard_and_case_page_show_unsent_bounced_and_the_last_error(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals")
    other = console.add_case("S2", "Quiet Metals")
    add_email(console, other, "k0", sent_at=dt.datetime.now(dt.UTC))
    console.sign_in("viewer@company.test")
    assert "Emails:" not in console.client.get("/").text  # all sent: nothing to say
    add_email(console, case, "k1", attempts=4, last_error="SMTPConnectError: <relay> down")
    add_email(console, case, "k2", attempts=1, bounced_at=dt.datetime.now(dt.UTC), last_error="550 <gone>")
    dashboard = console.client.get("/").text
    assert re.search(r"1 unsent \(oldest waiting 3h 0\dm\), 1 bounced", dashboard)
    assert "1 not sent, 1 bounced" in dashboard
    assert "&lt;gone&gt;" in dashboard and "<gone>" not in dashboard  # the relay's words are escaped
    page = console.client.get(f"/cases/{case}").text
    assert 'id="email-faults"' in page and re.search(r"1 unsent \(oldest waiting 3h 0\dm\), 1 bounced", page)
    assert "<strong>bounced</strong>" in page and "SMTPConnectError: &lt;relay&gt; down" in page
    assert console.client.get(f"/cases/{other}").text.count('id="email-faults"') == 0


def test_an_analyst_corrects_the_address_from_the_case_page(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals")
    console.sign_in("viewer@company.test")
    assert 'id="contact"' not in console.client.get(f"/cases/{case}").text
    token = console.csrf("/")
    form = {"csrf": token, "case": str(case), "email": "orders@s1.test"}
    assert console.client.post("/suppliers/S1/contact", data=form).status_code == 403

    console.sign_in("analyst@company.test")
    assert 'id="contact"' in console.client.get(f"/cases/{case}").text
    forged = console.client.post("/suppliers/S1/contact", data={**form, "csrf": "forged"})
    assert forged.status_code == 403
    token = console.csrf(f"/cases/{case}")
    wrong = console.client.post("/suppliers/S2/contact", data={**form, "csrf": token})
    assert wrong.status_code == 404
    bad = console.client.post("/suppliers/S1/contact", data={**form, "csrf": token, "email": "orders"})
    assert bad.status_code == 400 and "is not an email address" in bad.text

    saved = console.client.post("/suppliers/S1/contact", data={**form, "csrf": token}, follow_redirects=False)
    assert (
        saved.status_code == 303 and saved.headers["location"] == f"/cases/{case}?done=contact-untold#contact"
    )
    assert (
        "Supplier contact saved, but not every open case could be told"
        in console.client.get(saved.headers["location"]).text
    )
    with console.sessions() as session:
        assert session.scalar(select(Supplier.email).where(Supplier.supplier_id == "S1")) == "orders@s1.test"
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "supplier.updated")).one()
    assert event.actor == "analyst@company.test" and event.after == {"email": "orders@s1.test"}
