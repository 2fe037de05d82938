"""Overdue customer requests on Today (the team's work) and the requests page they lead to."""

from __future__ import annotations

import datetime as dt

from console_kit import Console

from models.customer_request import CustomerRequest


def test_an_overdue_request_is_on_today_and_the_answered_one_is_not(console: Console) -> None:
    today = dt.date.today()
    with console.sessions() as session:
        session.add_all(
            [
                CustomerRequest(
                    customer="Late <Customer> KK", contact_email="a@late.example.test", template="CMRT",
                    products=["PX-1"], due_date=today - dt.timedelta(days=3),
                ),
                CustomerRequest(
                    customer="Early Customer", contact_email="b@early.example.test", template="EMRT",
                    due_date=today + dt.timedelta(days=30),
                ),
                CustomerRequest(
                    customer="Done Customer", contact_email="c@done.example.test", template="CMRT",
                    due_date=today - dt.timedelta(days=9), status="answered",
                ),
            ]
        )  # fmt: skip
        session.commit()
    console.sign_in("viewer@company.test")
    home = console.client.get("/?scope=team").text
    queue = home[home.index('id="queue-customer-requests"') :]
    queue = queue[: queue.index("</section>")]
    assert "Customer requests overdue" in queue and "Late &lt;Customer&gt; KK" in queue
    assert "CMRT (product scope) due" in queue and 'href="/customer-requests#request-' in queue
    assert "Early Customer" not in queue and "Done Customer" not in queue
    page = console.client.get("/customer-requests").text
    assert page.count("overdue</strong>") == 1 and "Early Customer" in page and "answered" in page
    assert "<Customer>" not in page


def test_the_requests_page_needs_sign_in(console: Console) -> None:
    assert console.client.get("/customer-requests", follow_redirects=False).status_code == 303
