"""In Chromium on the real stack: an overdue customer request on Today leads to the requests page, and
the annual report page with its table and a planned case pass the accessibility check."""

from __future__ import annotations

import datetime as dt

import pytest
from a11y import assert_accessible
from console_kit import PASSWORD
from playwright.async_api import Page, expect
from test_browser import CHROMIUM, Live, live, page  # noqa: F401  (the real stack and Chromium)

from models.customer_request import CustomerRequest
from models.scope_plan import PlannedSupplier, ScopePlan


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
@pytest.mark.asyncio(loop_scope="module")
async def test_customer_requests_and_the_annual_report_in_the_browser(live: Live, page: Page) -> None:  # noqa: F811
    case = live.case_of(live.suppliers[0].supplier_id)
    with live.sessions.begin() as session:
        session.add(
            CustomerRequest(
                customer="Late Customer", contact_email="late@customer.example.test", template="CMRT",
                due_date=dt.date.today() - dt.timedelta(days=2),
            )
        )  # fmt: skip
        statement = "All parts and materials purchased during FY2025 containing tin (3 of 9 parts)."
        plan = ScopePlan(
            fiscal_year=2026, template="CMRT", coverage={"statement": statement}, campaign_id=case.campaign_id
        )
        session.add(plan)
        session.flush()
        supplier = live.suppliers[0].supplier_id
        session.add(PlannedSupplier(plan_id=plan.id, supplier_key=supplier, minerals=["Tin"], parts=["A-1"]))
    p = page
    await p.goto(f"{live.base}/?scope=team")
    await p.fill("input[name=email]", "analyst@company.test")
    await p.fill("input[name=password]", PASSWORD)
    await p.click("button:has-text('Sign in')")
    await expect(p.locator("#queue-customer-requests")).to_contain_text("Late Customer")
    await p.locator("#queue-customer-requests li a").first.click()
    await expect(p.locator("#customer-requests")).to_contain_text("overdue")
    await assert_accessible(p)
    await p.goto(f"{live.base}/reports/annual?fy=2026")
    await expect(p.locator("table.annual")).to_contain_text("3 of 9 parts")
    await expect(p.locator("table.annual")).to_contain_text("% of smelters/refiners RMI conformant")
    await assert_accessible(p)
    await p.goto(f"{live.base}/cases/{case.id}")  # the case says what its supplier is asked about
    await expect(p.locator("#planned")).to_contain_text("Tin")
    await assert_accessible(p)
