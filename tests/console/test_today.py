"""Today on the dashboard: evidence to review, an overdue corrective action, a bounced email, a case past
due, an incomplete upload and a facility whose status changed, for the signed-in owner and the team; each
line leads to the page where the work is done. Campaign counts keep risk found apart from closed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from a11y import assert_accessible
from console_kit import PASSWORD, Console
from playwright.async_api import Page, expect
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from test_browser import CHROMIUM, Live, _shot, live, page  # noqa: F401  (the real stack and Chromium)

from models.corrective import ActionEvidence, CorrectiveAction
from models.files import StoredFile
from models.outbox import EmailMessage
from models.registry import RegistryFacility, RegistryImport, RegistryStatus
from models.supplier import Supplier
from models.survey import Survey

NOW = dt.datetime.now(dt.UTC)
ME = "analyst@company.test"
Sessions = sessionmaker[Session]


def _file(db: Sessions, case: int, name: str) -> int:
    with db.begin() as session:
        stored = StoredFile(survey_id=case, sha256="0" * 64, size=1, path="x", original_name=name)
        session.add(stored)
        session.flush()
        return stored.id


def _action(db: Sessions, case: int, due: dt.datetime, owner: str | None = None) -> int:
    opened = _file(db, case, "answer.xlsx")
    with db.begin() as session:
        action = CorrectiveAction(
            survey_id=case,
            n=1,
            workflow_id=f"capa-{case}-1",
            kind="smelter-not-conformant",
            group_key="smelter-not-conformant:Tin",
            metal="Tin",
            severity="high",
            required_outcome="Remove the smelter",
            owner=owner,
            due_at=due,
            opened_file_id=opened,
        )
        session.add(action)
        session.flush()
        return action.id


def _evidence(db: Sessions, case: int, action: int, name: str) -> None:
    file_id = _file(db, case, name)
    with db.begin() as session:
        session.add(
            ActionEvidence(action_id=action, file_id=file_id, kind="document", submitted_by="supplier")
        )


def _bounce(db: Sessions, case: int) -> None:
    with db.begin() as session:
        session.add(
            EmailMessage(
                survey_id=case,
                kind="request",
                to=["gone@supplier.test"],
                subject="s",
                text_body="x",
                html_body="x",
                idempotency_key=f"bounce-{case}",
                bounced_at=NOW - dt.timedelta(hours=1),
                last_error="550 no such user",
            )
        )


def _owner(db: Sessions, case: int, owner: str) -> None:
    with db.begin() as session:
        survey = session.get(Survey, case)
        assert survey is not None
        session.execute(update(Supplier).where(Supplier.id == survey.supplier_id).values(owner_email=owner))


def _due(db: Sessions, case: int, due: dt.datetime) -> None:
    with db.begin() as session:
        session.execute(update(Survey).where(Survey.id == case).values(due_at=due))


def _registry(db: Sessions) -> None:
    """Two status lists: CID000001 lost its conformant status in the second, CID000002 kept it."""
    with db.begin() as session:
        imports = [
            RegistryImport(file_name=f"list-{n}.xlsx", sha256=str(n) * 64, kind="status-list", as_of=day)
            for n, day in ((1, dt.date(2026, 1, 1)), (2, dt.date(2026, 6, 1)))
        ]
        session.add_all(imports)
        session.flush()
        for cid in ("CID000001", "CID000002"):
            session.add(
                RegistryFacility(
                    smelter_id=cid, metal="Tin", name=f"Smelter {cid}", first_import_id=imports[0].id
                )
            )
        session.flush()
        for imp, statuses in zip(
            imports, (("conformant", "conformant"), ("non-conformant", "conformant")), strict=True
        ):
            for cid, status in zip(("CID000001", "CID000002"), statuses, strict=True):
                session.add(RegistryStatus(smelter_id=cid, import_id=imp.id, as_of=imp.as_of, status=status))


def _queue(html: str, key: str) -> str:
    found = re.search(rf'<section class="card queue" id="queue-{key}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def _links(section: str) -> list[str]:
    return re.findall(r'<li><a href="([^"]+)"', section)


def test_today_lists_what_needs_a_person_and_each_line_leads_to_the_place_to_act(console: Console) -> None:
    evidence_case = console.add_case("S1", "Evidence Metals", stage="risk-found", risk="high")
    late_case = console.add_case("S2", "Late Actions", stage="risk-found", risk="high")
    bounced_case = console.add_case("S3", "Bounce Alloys")
    past_case = console.add_case("S4", "Past Due Tin", stage="reminded")
    fixing_case = console.add_case("S5", "Fixing Co", stage="fix-requested")
    console.add_case("S6", "Quiet Ltd")  # due in 2027, nothing to do
    action = _action(console.sessions, evidence_case, NOW + dt.timedelta(days=30))
    _evidence(console.sessions, evidence_case, action, "smelter-letter.pdf")
    late = _action(console.sessions, late_case, NOW - dt.timedelta(days=3))
    _bounce(console.sessions, bounced_case)
    _due(console.sessions, past_case, NOW - dt.timedelta(days=10))
    _registry(console.sessions)
    console.sign_in(ME)

    team = console.client.get("/?scope=team").text
    evidence = _queue(team, "evidence")
    assert "smelter-letter.pdf" in evidence and "S1 Evidence Metals" in evidence
    assert _links(evidence) == [f"/cases/{evidence_case}#action-{action}"]
    actions = _queue(team, "actions-due")
    assert "overdue since" in actions and _links(actions) == [f"/cases/{late_case}#action-{late}"]
    assert _links(_queue(team, "bounced")) == [f"/cases/{bounced_case}#contact"]
    assert _links(_queue(team, "past-due")) == [f"/cases/{past_case}"]
    assert _links(_queue(team, "fix-requested")) == [f"/cases/{fixing_case}"]
    facilities = _queue(team, "facilities")
    assert "conformant → non-conformant" in facilities and _links(facilities) == ["/registry/CID000001"]

    # Each link opens the page holding the form that does the work.
    html = console.client.get(f"/cases/{evidence_case}").text
    assert f'id="action-{action}"' in html and f'action="/corrective-actions/{action}/' in html
    html = console.client.get(f"/cases/{late_case}").text
    assert f'id="action-{late}"' in html and f'action="/corrective-actions/{late}/' in html
    html = console.client.get(f"/cases/{bounced_case}").text
    assert 'id="contact"' in html and 'action="/suppliers/S3/contact"' in html
    html = console.client.get(f"/cases/{past_case}").text
    assert f'action="/cases/{past_case}/actions/extend"' in html
    assert "non-conformant" in console.client.get("/registry/CID000001").text


def test_mine_shows_only_the_signed_in_owner_s_work_and_more_opens_the_filtered_list(
    console: Console,
) -> None:
    mine = console.add_case("S1", "Mine Metals", stage="reminded")
    theirs = console.add_case("S2", "Theirs Metals", stage="reminded")
    _owner(console.sessions, mine, ME)
    for case in (mine, theirs):
        _bounce(console.sessions, case)
    action = _action(console.sessions, theirs, NOW + dt.timedelta(days=2), owner=ME)  # theirs, but my action
    console.sign_in(ME)

    html = console.client.get("/").text
    assert _links(_queue(html, "bounced")) == [f"/cases/{mine}#contact"]
    assert _links(_queue(html, "actions-due")) == [f"/cases/{theirs}#action-{action}"]
    assert "overdue since" not in _queue(html, "actions-due")
    team = console.client.get("/?scope=team").text
    assert len(_links(_queue(team, "bounced"))) == 2

    _registry(console.sessions)  # registry news is the same for every owner
    assert _links(_queue(console.client.get("/").text, "facilities")) == ["/registry/CID000001"]

    listed = console.client.get(f"/cases?needs=bounced&owner={ME}").text
    assert "1 case(s)" in listed and "Mine Metals" in listed and "Theirs Metals" not in listed
    assert "2 case(s)" in console.client.get("/cases?needs=bounced").text


def test_nothing_to_do_says_so(console: Console) -> None:
    console.add_case("S1", "Quiet Ltd")
    console.sign_in("viewer@company.test")
    html = console.client.get("/").text
    assert "Nothing needs you today." in html and 'class="card queue"' not in html


def test_campaign_counts_keep_risk_found_apart_from_closed(console: Console) -> None:
    console.add_case("S1", "One", stage="accepted")
    console.add_case("S2", "Two", stage="risk-found", risk="high")
    console.add_case("S3", "Three", stage="exempted")
    console.add_case("S4", "Four", stage="closed")
    console.sign_in("viewer@company.test")
    html = console.client.get("/").text
    counts = dict(re.findall(r"<th>([a-z ]+)</th><td class=\"num\">(\d+)</td>", html))
    assert counts["complete"] == "2" and counts["with risk"] == "1"
    assert counts["exempted"] == "1" and counts["closed"] == "1"


def test_campaigns_come_a_page_at_a_time_newest_first(console: Console) -> None:
    for n in range(6):
        console.add_case(f"S{n}", f"Supplier {n}", campaign=f"CMRT-20{20 + n}")
    console.sign_in("viewer@company.test")
    first = console.client.get("/?scope=team").text
    shown = re.findall(r'<h2><a href="/cases\?campaign=([^"]+)"', first)
    assert shown == ["CMRT-2025", "CMRT-2024", "CMRT-2023", "CMRT-2022"]
    older = re.search(r'href="(/\?[^"]+)">Older campaigns', first)
    assert older and "scope=team" in older.group(1)
    second = console.client.get(older.group(1).replace("&amp;", "&")).text
    assert re.findall(r'<h2><a href="/cases\?campaign=([^"]+)"', second) == ["CMRT-2021", "CMRT-2020"]
    assert "Newer campaigns" in second and "Older campaigns" not in second
    assert console.client.get("/?campaigns=0").status_code in (404, 422)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
@pytest.mark.asyncio(loop_scope="module")
async def test_in_the_browser_each_today_line_opens_the_place_to_act(live: Live, page: Page) -> None:  # noqa: F811
    """On the real stack: evidence, a bounce and an overdue action on Today; each link lands on its form."""
    evidence_case, bounced_case = (live.case_of(s.supplier_id).id for s in live.suppliers[:2])
    action = _action(live.sessions, evidence_case, NOW + dt.timedelta(days=20))
    _evidence(live.sessions, evidence_case, action, "smelter-letter.pdf")
    late = _action(live.sessions, bounced_case, NOW - dt.timedelta(days=2))
    _bounce(live.sessions, bounced_case)
    p = page
    await p.goto(f"{live.base}/?scope=team")
    await p.fill("input[name=email]", "analyst@company.test")
    await p.fill("input[name=password]", PASSWORD)
    await p.click("button:has-text('Sign in')")
    await expect(p.locator("#queue-evidence")).to_contain_text("smelter-letter.pdf")
    await assert_accessible(p)
    await _shot(p, "today.png")
    for queue, target in (
        ("evidence", f"#action-{action}"),
        ("actions-due", f"#action-{late}"),
        ("bounced", "#contact"),
    ):
        await p.goto(f"{live.base}/?scope=team")
        await p.locator(f"#queue-{queue} li a").first.click()
        await expect(p.locator(target)).to_be_in_viewport()  # the page scrolled to the form
        assert p.url.endswith(target)
    await expect(p.locator("form[action$='/contact'] input[name=email]")).to_be_visible()
    await assert_accessible(p)
