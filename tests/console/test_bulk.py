"""Bulk actions on the filtered case list: a confirmation step first, analysts only, one audit event per
case; remind now reaches exactly the filtered suppliers (real stack, real SMTP capture, Chromium), the
exports hold exactly the filtered rows."""

from __future__ import annotations

import csv
import io
import re

import pytest
from a11y import assert_accessible
from console_kit import CSRF, Console
from openpyxl import load_workbook
from playwright.async_api import Page, expect
from sqlalchemy import select, update
from stack_site import until
from test_browser import CHROMIUM, WAIT_MS, Live, _shot, live, page  # noqa: F401  (fixtures)

from models.audit import AuditEvent
from models.outbox import EmailMessage
from models.supplier import Supplier
from models.survey import Survey
from worker.mail_capture import captured_mail

HEADER = ["case", "campaign", "supplier_id", "supplier", "stage", "due", "reminders", "risk", "owner"]


def _cases(console: Console) -> dict[str, int]:
    made = {}
    for n in range(12):
        stage = "reminded" if n % 3 else "accepted"
        made[f"S{n:02d}"] = console.add_case(f"S{n:02d}", f"Supplier {n:02d}", stage=stage)
    made["S99"] = console.add_case("S99", "=HYPERLINK(evil)", stage="reminded", campaign="EMRT-2027")
    return made


def _audits(console: Console, action: str) -> list[str]:
    with console.sessions() as session:
        return list(session.scalars(select(AuditEvent.subject).where(AuditEvent.action == action)))


def test_exports_hold_exactly_the_filtered_rows(console: Console) -> None:
    made = _cases(console)
    console.sign_in("analyst@company.test")
    wanted = sorted(made[f"S{n:02d}"] for n in range(12) if n % 3)  # reminded, in CMRT-2027
    query = "stage=reminded&campaign=CMRT-2027&sort=supplier&dir=desc"
    xlsx = console.client.get(f"/cases.xlsx?{query}")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(xlsx.content), read_only=True)["Cases"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [r[0] for r in rows[1:]] == sorted(wanted, reverse=True)  # the list's order: supplier, descending
    assert {r[4] for r in rows[1:]} == {"reminded"} and {r[1] for r in rows[1:]} == {"CMRT-2027"}
    text = console.client.get(f"/cases.csv?{query}").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == HEADER and [int(r[0]) for r in table[1:]] == sorted(wanted, reverse=True)
    # A supplier name that a spreadsheet would run as a formula is exported as text.
    hostile = list(csv.reader(io.StringIO(console.client.get("/cases.csv?campaign=EMRT-2027").text)))
    assert hostile[1][3] == "'=HYPERLINK(evil)"


def test_viewers_cannot_export_or_act_in_bulk(console: Console) -> None:
    case = console.add_case("S1", "One")
    console.sign_in("viewer@company.test")
    assert 'id="bulk"' not in console.client.get("/cases").text
    assert console.client.get("/cases.csv").status_code == 403
    token = console.csrf("/cases/1")
    data = {"csrf": token, "action": "assign", "ids": str(case), "owner": "x@company.test"}
    assert console.client.post("/cases/bulk/confirm", data=data).status_code == 403


def test_assign_owner_asks_for_confirmation_then_audits_each_case(console: Console) -> None:
    made = _cases(console)
    console.sign_in("analyst@company.test")
    listing = console.client.get("/cases?stage=accepted").text
    token = CSRF.search(listing).group(1)  # type: ignore[union-attr]
    chosen = [made["S00"], made["S03"]]
    step = console.client.post(
        "/cases/bulk?stage=accepted",
        data={"csrf": token, "action": "assign", "case": [str(c) for c in chosen]},
    )
    assert step.status_code == 200 and "Assign owner: 2 case(s)" in step.text
    with console.sessions() as session:  # nothing changed before the confirmation
        assert set(session.scalars(select(Supplier.owner_email))) == {"buyer@company.test"}
    ids = re.search(r'name="ids" value="([^"]+)"', step.text).group(1)  # type: ignore[union-attr]
    refused = console.client.post(
        "/cases/bulk/confirm", data={"csrf": token, "action": "assign", "ids": ids, "owner": "not an email"}
    )
    assert refused.status_code == 400 and "is not an email address" in refused.text
    done = console.client.post(
        "/cases/bulk/confirm",
        data={"csrf": token, "action": "assign", "ids": ids, "owner": "Team-B@company.test"},
    )
    assert done.status_code == 200 and "Owner assigned: 2 case(s)" in done.text
    listed = console.client.get("/cases?owner=team-b@company.test").text
    assert "2 case(s)" in listed
    assert sorted(_audits(console, "survey.bulk-assign")) == sorted(f"survey:{c}" for c in chosen)
    assert (
        console.client.post("/cases/bulk/confirm", data={"action": "assign", "ids": ids}).status_code == 403
    )


def test_all_matching_takes_the_filter_and_leaves_out_cases_the_action_does_not_apply_to(
    console: Console,
) -> None:
    _cases(console)
    console.sign_in("analyst@company.test")
    token = console.csrf("/cases")
    step = console.client.post(
        "/cases/bulk?campaign=CMRT-2027", data={"csrf": token, "action": "remind", "all": "1"}
    )
    assert "Remind now: 8 case(s)" in step.text  # 12 in the campaign, 4 accepted
    assert "4 chosen case(s) left out" in step.text and "accepted" in step.text
    exempt = console.client.post(
        "/cases/bulk/confirm", data={"csrf": token, "action": "exempt", "ids": "1,2", "reason": " "}
    )
    assert exempt.status_code == 400 and "say why" in exempt.text
    nothing = console.client.post("/cases/bulk", data={"csrf": token, "action": "remind"})
    assert nothing.status_code == 400 and "no case chosen" in nothing.text
    unknown = console.client.post("/cases/bulk", data={"csrf": token, "action": "remind", "case": "999"})
    assert unknown.status_code == 400 and "there is no case 999" in unknown.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
@pytest.mark.asyncio(loop_scope="module")
async def test_bulk_remind_on_a_filter_sends_exactly_those_emails(live: Live, page: Page) -> None:  # noqa: F811
    chosen, others = live.suppliers[1:3], [live.suppliers[0], live.suppliers[3]]
    with live.sessions.begin() as session:
        session.execute(
            update(Supplier)
            .where(Supplier.supplier_id.in_([s.supplier_id for s in chosen]))
            .values(owner_email="team-b@company.test")
        )

    def received(address: str) -> int:
        return sum(address in m.rcpt_tos for m in captured_mail(live.mail_dir))

    before = {s.email: received(s.email) for s in live.suppliers}
    p = page
    await p.goto(f"{live.base}/cases?owner=team-b@company.test")
    await p.fill("input[name=email]", "analyst@company.test")
    await p.fill("input[name=password]", "correct horse battery staple")
    await p.click("button:has-text('Sign in')")
    await expect(p.locator("#results")).to_contain_text("2 case(s)")
    await assert_accessible(p)
    await _shot(p, "cases-bulk.png")
    await p.check("input[name=all]")
    await p.select_option("select[name=action]", "remind")
    await p.click("button:has-text('Continue')")
    await expect(p.locator("h1")).to_have_text("Remind now: 2 case(s)")
    await assert_accessible(p)
    await _shot(p, "bulk-confirm.png")
    await p.click("button:has-text('Confirm')")
    await expect(p.locator("#bulk-done")).to_contain_text("Reminder sent: 2 case(s)")
    await assert_accessible(p)

    def reminded_all() -> bool:
        return all(received(s.email) == before[s.email] + 1 for s in chosen)

    await until(reminded_all, "a reminder to each filtered supplier")
    with live.sessions() as session:
        reminded = session.scalars(
            select(Supplier.supplier_id)
            .join(Survey, Survey.supplier_id == Supplier.id)
            .join(EmailMessage, EmailMessage.survey_id == Survey.id)
            .where(EmailMessage.kind == "reminder")
        ).all()
        audited = session.scalars(
            select(AuditEvent.subject).where(AuditEvent.action == "survey.bulk-remind")
        ).all()
    assert sorted(reminded) == sorted(s.supplier_id for s in chosen)  # exactly those, once each
    assert sorted(audited) == sorted(f"survey:{live.case_of(s.supplier_id).id}" for s in chosen)
    assert all(received(s.email) == before[s.email] for s in others)
    await p.goto(f"{live.base}/cases/{live.case_of(chosen[0].supplier_id).id}")
    await expect(p.locator("#timeline")).to_contain_text("survey.reminded-now", timeout=WAIT_MS)
    assert live.case_of(chosen[0].supplier_id).stage == "requested"  # the stage stays as it was
