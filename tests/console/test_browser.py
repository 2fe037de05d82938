"""Browser tests on Debian's Chromium against the real embedded stack (Temporal dev server, worker,
SMTP capture) and the console served by uvicorn: staff decide on a case, a supplier fixes a file."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
import uvicorn
from console_kit import PASSWORD
from playwright.async_api import FilePayload, Page, async_playwright, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from stack_site import ARGS, CHROMIUM, add_people, until

from cli.campaign import start_campaign_workflow
from cli.demo_data import Answer, DemoSupplier, answer_filling, demo_suppliers
from cli.enrol import CampaignPlan, enrol
from console.app import create_app
from models.corrective import CorrectiveAction
from models.db import make_engine, session_factory
from models.enums import Stage, TemplateFamily
from models.files import StoredFile
from models.supplier import Supplier
from models.survey import Survey
from mrt.layouts import cmrt6
from mrt.writer import write_template
from worker.devserver import StackError, free_port, temporal_binary
from worker.mail_capture import captured_mail
from worker.stack import Stack

WAIT_MS = 30_000  # workflow-driven changes: the check runs in a worker process pool
SHOTS = os.environ.get("MINERALS_SCREENSHOTS", "")  # a folder: also save screenshots there

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.asyncio(loop_scope="module"),  # one stack for the module's tests
]


@dataclass
class Live:
    """The running stack and console."""

    base: str
    sessions: sessionmaker[Session]
    mail_dir: Path
    suppliers: list[DemoSupplier]

    def stored_files(self, supplier_id: str) -> int:
        with self.sessions() as session:
            found = select(func.count()).where(StoredFile.survey_id == self.case_of(supplier_id).id)
            return session.scalar(found) or 0

    def open_actions(self, case_id: int) -> int:
        with self.sessions() as session:
            query = select(func.count()).where(
                CorrectiveAction.survey_id == case_id, CorrectiveAction.status.in_(("open", "rejected"))
            )
            return session.scalar(query) or 0

    def case_of(self, supplier_id: str) -> Survey:
        with self.sessions() as session:
            found = session.scalar(
                select(Survey)
                .join(Supplier, Supplier.id == Survey.supplier_id)
                .where(Supplier.supplier_id == supplier_id)
            )
            assert found is not None
            return found


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> AsyncIterator[Live]:
    """Stack + campaign of three generated suppliers + console on a free port."""
    try:
        temporal_binary()
    except StackError as exc:
        pytest.skip(str(exc))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with Stack(tmp_path_factory.mktemp("stack"), ui=False, public_base_url=base) as stack:
        sessions = session_factory(make_engine(stack.settings.resolved_database_url()))
        suppliers = demo_suppliers(4, (Answer.MISTAKES, Answer.SILENT, Answer.SILENT, Answer.RISKY))
        add_people(sessions, password_hash, suppliers)
        plan = CampaignPlan(
            name="CMRT-2027",
            template=TemplateFamily.CMRT,
            due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=60),
            reminder_every="14d",
            reminders=2,
            escalation_after="7d",
            page_size=100,
        )
        campaign, _ = enrol(sessions, plan, [s.supplier_id for s in suppliers])
        assert stack.client is not None
        await start_campaign_workflow(stack.client, stack.settings, campaign)
        live = Live(base, sessions, stack.settings.resolved_mail_dir(), suppliers)
        await until(
            lambda: all(live.case_of(s.supplier_id).stage == Stage.REQUESTED for s in suppliers),
            "every request email",
        )
        app = create_app(stack.settings, sessions=sessions, client=stack.client, mail_reader=captured_mail)
        server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", log_config=None
            )
        )
        serving = asyncio.create_task(server.serve())
        await until(lambda: server.started, "the console")
        try:
            yield live
        finally:
            server.should_exit = True
            await serving


@pytest_asyncio.fixture(loop_scope="module")
async def page(live: Live) -> AsyncIterator[Page]:
    """A fresh Chromium page (no browser download: Debian's binary)."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield await browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            await browser.close()


async def _sign_in(live: Live, p: Page, path: str) -> None:
    await p.goto(f"{live.base}{path}")
    await p.fill("input[name=email]", "analyst@company.test")
    await p.fill("input[name=password]", PASSWORD)
    await p.click("button:has-text('Sign in')")


async def _shot(page: Page, name: str) -> None:
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def _workbook(supplier: DemoSupplier, answer: Answer) -> bytes:
    buf = io.BytesIO()
    write_template(cmrt6.LAYOUT, answer_filling(supplier, answer), buf)
    return buf.getvalue()


async def test_supplier_uploads_a_file_with_mistakes_sees_the_issues_then_a_fixed_one(
    live: Live, page: Page
) -> None:
    p = page
    supplier = live.suppliers[0]
    mails = [m for m in captured_mail(live.mail_dir) if supplier.email in m.rcpt_tos]
    links = re.findall(r"http://127\.0\.0\.1:\d+/upload/\S+", mails[0].text())
    assert mails and links, "the request email carries the upload link"
    await p.goto(links[0])
    form_token = await p.locator("input[name=csrf]").get_attribute("value")
    await expect(p.get_by_role("heading", level=1)).to_contain_text("CMRT")
    files = p.locator("input[type=file]")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    await files.set_input_files(
        {"name": "cmrt.xlsx", "mimeType": xlsx, "buffer": _workbook(supplier, Answer.MISTAKES)}
    )
    await p.click("button:has-text('Upload')")
    result = p.locator("#result")
    await expect(result).to_contain_text("Please correct these points", timeout=WAIT_MS)
    rows = result.locator("tbody tr")
    assert await rows.count() >= 3  # e-mail, authorizer, date, Q2 and Q7 answers are wrong or missing
    assert re.search(r"[A-Z]+\d+", await rows.first.inner_text())  # located by cell
    assert live.case_of(supplier.supplier_id).stage == Stage.FIX_REQUESTED
    await _shot(p, "portal-issues.png")
    await files.set_input_files(
        {"name": "cmrt-fixed.xlsx", "mimeType": xlsx, "buffer": _workbook(supplier, Answer.COMPLETE)}
    )
    await p.click("button:has-text('Upload')")
    await expect(result).to_contain_text("the file is complete", timeout=WAIT_MS)
    assert live.case_of(supplier.supplier_id).stage in {Stage.ACCEPTED, Stage.RISK_FOUND}
    assert await p.locator("input[type=file]").count() == 0  # nothing more to upload
    # A late upload is refused in plain words, and not stored.
    late = await p.request.post(
        links[0],
        multipart={
            "csrf": form_token or "",
            "file": {"name": "late.xlsx", "mimeType": xlsx, "buffer": b"PK.."},
        },
    )
    assert late.status == 409
    assert "no further upload is needed" in await late.text()
    assert live.stored_files(supplier.supplier_id) == 2
    await _shot(p, "portal.png")


async def test_staff_filter_open_a_case_decide_and_see_the_timeline_grow(live: Live, page: Page) -> None:
    p = page
    target = live.suppliers[1]
    await p.goto(f"{live.base}/cases")
    await expect(p.get_by_role("heading", name="Sign in")).to_be_visible()
    await p.fill("input[name=email]", "analyst@company.test")
    await p.fill("input[name=password]", PASSWORD)
    await p.click("button:has-text('Sign in')")
    results = p.locator("#results")
    await expect(results).to_contain_text("4 case(s)")
    await p.wait_for_load_state()  # htmx is a deferred script: a change before it runs reaches no listener
    await p.select_option("select[name=stage]", "requested")
    await expect(p).to_have_url(re.compile(r"stage=requested"))
    await p.fill("#q", target.supplier_id)
    await expect(results).to_contain_text("1 case(s)")
    await expect(results).to_contain_text(target.name)
    await p.click("#results a:has-text('#')")
    await expect(p.locator("h1")).to_contain_text(target.name)
    timeline = p.locator("#timeline li")
    before = await timeline.count()
    form = p.locator("form.action", has_text="Exempt supplier")
    await form.locator("input[name=reason]").fill("No longer a supplier of 3TG parts")
    await form.locator("button").click()
    await expect(p.locator(".notice")).to_contain_text("sent to the survey workflow")
    await expect(p.locator("#timeline")).to_contain_text("survey.exempted", timeout=WAIT_MS)
    await expect(p.locator("#timeline")).to_contain_text("No longer a supplier of 3TG parts")
    await expect(p.locator("#stage")).to_have_text("exempted")
    assert await timeline.count() > before
    assert live.case_of(target.supplier_id).stage == Stage.EXEMPTED
    await _shot(p, "case-exempted.png")
    uploaded = live.case_of(live.suppliers[0].supplier_id).id
    await p.goto(f"{live.base}/cases/{uploaded}")
    await _shot(p, "case.png")
    await p.goto(f"{live.base}/cases")
    await _shot(p, "cases.png")
    await p.goto(f"{live.base}/")
    await expect(p.locator(".card")).to_contain_text("CMRT-2027")
    await _shot(p, "dashboard.png")


async def test_a_risky_answer_opens_a_corrective_action_that_staff_accept(live: Live, page: Page) -> None:
    p = page
    supplier = live.suppliers[3]
    mails = [m for m in captured_mail(live.mail_dir) if supplier.email in m.rcpt_tos]
    link = re.findall(r"http://127\.0\.0\.1:\d+/upload/\S+", mails[0].text())[0]
    await p.goto(link)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook: FilePayload = {
        "name": "cmrt.xlsx",
        "mimeType": xlsx,
        "buffer": _workbook(supplier, Answer.RISKY),
    }
    await p.locator("input[type=file]").set_input_files(workbook)
    await p.click("button:has-text('Upload')")
    await expect(p.locator("#result")).to_contain_text("the file is complete", timeout=WAIT_MS)
    case = live.case_of(supplier.supplier_id)
    assert case.stage == Stage.RISK_FOUND
    await until(lambda: live.open_actions(case.id) > 0, "a corrective action")
    await p.reload()  # the portal lists the open action with a form for a document
    letter: FilePayload = {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 letter"}
    evidence = p.locator("article.action").first.locator("form")
    await evidence.locator("input[type=file]").set_input_files(letter)
    await evidence.locator("textarea[name=note]").fill("Our smelter list without the smelter")
    await evidence.locator("button").click()
    await expect(p.locator(".notice")).to_contain_text("was received")
    await expect(p.locator("article.action").first).to_contain_text("awaiting review")
    await _shot(p, "portal-evidence.png")
    await _sign_in(live, p, f"/cases/{case.id}")
    action = p.locator("article.corrective").first
    await expect(action).to_contain_text("open")
    await expect(action).to_contain_text("Our smelter list without the smelter")
    form = action.locator("form.decide")
    await form.get_by_role("radio", name="Accept").check()
    await form.locator("textarea[name=reason]").fill("Supplier removed the smelter from its supply chain")
    await form.locator("button").click()
    await p.click("button:has-text('Confirm: accept')")
    await expect(p.locator(".notice")).to_contain_text("accept recorded")
    await expect(p.locator("article.corrective").first).to_contain_text("accepted", timeout=WAIT_MS)
    assert live.open_actions(case.id) == 0
    await _shot(p, "case-corrective-action.png")
