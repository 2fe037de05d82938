"""A campaign run from the browser (Debian's Chromium) on the real embedded stack, console included: create
it, upload a supplier list with a bad line (refused, by line, nothing imported), then a good one, start it
(each supplier gets its request email), pause and resume its reminders, and correct a supplier's email in
the directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from a11y import assert_accessible
from console_kit import PASSWORD
from playwright.async_api import Page, async_playwright, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from stack_site import ARGS, CHROMIUM, until

from cli.demo_data import DemoSupplier, demo_suppliers
from models.audit import AuditEvent
from models.campaign import Campaign
from models.db import make_engine, session_factory
from models.enums import Stage
from models.supplier import Supplier
from models.survey import Survey
from models.users import User
from worker.devserver import StackError, temporal_binary
from worker.mail_capture import captured_mail
from worker.stack import Stack

WAIT_MS = 30_000
HEADER = "supplier_id,name,email,contact_name,language,owner_email\n"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.asyncio(loop_scope="module"),
]


@dataclass
class Live:
    """The running stack: its console's address, database and captured mail."""

    base: str
    sessions: sessionmaker[Session]
    mail_dir: Path

    def count(self, table: type) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(table)) or 0

    def stages(self) -> list[str]:
        with self.sessions() as session:
            return list(session.scalars(select(Survey.stage).order_by(Survey.id)))

    def events(self, action: str) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).where(AuditEvent.action == action)) or 0

    def campaign_status(self, name: str) -> str | None:
        with self.sessions() as session:
            return session.scalar(select(Campaign.status).where(Campaign.name == name))

    def mailed(self, address: str) -> list[str]:
        """The kinds of the emails captured for an address."""
        return [
            str(m.message["X-Minerals-Kind"]) for m in captured_mail(self.mail_dir) if address in m.rcpt_tos
        ]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> AsyncIterator[Live]:
    """The embedded stack as `minerals up` runs it (its own console) with one analyst account."""
    try:
        temporal_binary()
    except StackError as exc:
        pytest.skip(str(exc))
    async with Stack(tmp_path_factory.mktemp("stack"), ui=False) as stack:
        sessions = session_factory(make_engine(stack.settings.resolved_database_url()))
        with sessions.begin() as session:
            session.add(User(email="analyst@company.test", role="analyst", password_hash=password_hash))
        yield Live(stack.addresses.console, sessions, stack.settings.resolved_mail_dir())


@pytest_asyncio.fixture(loop_scope="module")
async def page(live: Live) -> AsyncIterator[Page]:
    """A fresh Chromium page (Debian's binary, nothing downloaded)."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield await browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            await browser.close()


def _csv(suppliers: list[DemoSupplier], bad_email_at: int | None = None) -> bytes:
    lines = [
        f"{s.supplier_id},{s.name},{'not-an-address' if n == bad_email_at else s.email},"
        f"{s.contact_name},{s.language},{s.owner_email}\n"
        for n, s in enumerate(suppliers)
    ]
    return (HEADER + "".join(lines)).encode()


async def _upload(p: Page, data: bytes) -> None:
    form = p.locator("#upload")
    await form.locator("input[type=file]").set_input_files(
        {"name": "suppliers.csv", "mimeType": "text/csv", "buffer": data}
    )
    await form.locator("button").click()


async def test_a_campaign_is_created_filled_from_a_list_started_paused_and_resumed(
    live: Live, page: Page
) -> None:
    p = page
    suppliers = demo_suppliers(3)
    await p.goto(f"{live.base}/campaigns")
    await p.fill("input[name=email]", "analyst@company.test")
    await p.fill("input[name=password]", PASSWORD)
    await p.click("button:has-text('Sign in')")
    await expect(p.get_by_role("heading", level=1)).to_have_text("Campaigns")
    await assert_accessible(p)

    form = p.locator("#new-campaign")
    await form.get_by_label("Name").fill("CMRT-2028")
    await form.get_by_label("Template").select_option("CMRT")
    await form.get_by_label("Due date").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    await form.get_by_label("Remind every").fill("14d")
    await form.locator("button").click()
    await expect(p.locator(".notice")).to_contain_text("Upload its supplier list next")
    await assert_accessible(p)

    await _upload(p, _csv(suppliers, bad_email_at=1))
    errors = p.locator("#list-errors")
    await expect(errors).to_contain_text("nothing was imported")
    await expect(errors).to_contain_text("line 3: email 'not-an-address' is not an email address")
    assert (live.count(Supplier), live.count(Survey)) == (0, 0)
    await assert_accessible(p)

    await _upload(p, _csv(suppliers))
    await expect(p.locator("#preview")).to_contain_text("3 new")
    assert live.count(Supplier) == 0  # a preview imports nothing
    await assert_accessible(p)
    await p.get_by_role("button", name="Import and enrol 3 supplier(s)").click()
    await expect(p.locator(".notice")).to_contain_text("Supplier list imported")
    enrolled = p.locator("#enrolled tbody tr")
    await expect(enrolled).to_have_count(3)
    await expect(enrolled.first).to_contain_text(suppliers[0].name)
    assert live.stages() == [Stage.PENDING.value] * 3

    await p.locator("#start button").click()
    await expect(p.locator(".notice")).to_contain_text("Campaign started")
    await until(lambda: live.stages() == [Stage.REQUESTED.value] * 3, "every request recorded")
    await until(lambda: all(live.mailed(s.email) == ["request"] for s in suppliers), "every request email")
    # Requests are recorded and sent a batch at a time before their surveys start: the campaign ends after.
    await until(lambda: live.campaign_status("CMRT-2028") == "started", "the campaign's surveys all started")
    await p.reload()
    await expect(p.locator("#status")).to_contain_text("started", timeout=WAIT_MS)
    await assert_accessible(p)

    hold = p.locator("#hold")
    await hold.get_by_label("Reason (optional)").fill("Year-end shutdown")
    await hold.locator("button").click()
    await expect(p.locator(".notice")).to_contain_text("Reminders paused")
    await expect(p.locator("#paused")).to_have_text("reminders paused")
    await until(lambda: live.events("survey.reminders-paused") == 3, "each case's pause on its timeline")
    await p.locator("#hold button", has_text="Resume reminders").click()
    await expect(p.locator(".notice")).to_contain_text("Reminders resumed")
    await until(lambda: live.events("survey.reminders-resumed") == 3, "each case's resume on its timeline")


async def test_the_directory_finds_a_supplier_whose_email_staff_correct(live: Live, page: Page) -> None:
    """On the campaign the test above started (one stack per module, tests in file order)."""
    p = page
    target = demo_suppliers(3)[2]
    await p.goto(f"{live.base}/suppliers")
    await p.fill("input[name=email]", "analyst@company.test")
    await p.fill("input[name=password]", PASSWORD)
    await p.click("button:has-text('Sign in')")
    await expect(p.locator("#suppliers tbody tr")).to_have_count(3)
    await assert_accessible(p)
    await p.get_by_label("Search").fill(target.supplier_id)
    await p.get_by_role("button", name="Search").click()
    await expect(p.locator("#suppliers tbody tr")).to_have_count(1)
    await p.get_by_role("link", name=target.supplier_id).click()
    await expect(p.get_by_role("heading", level=1)).to_contain_text(target.name)
    await assert_accessible(p)
    await p.get_by_label("Email").fill("new-address@supplier.example.test")
    await p.get_by_role("button", name="Save").click()
    await expect(p.locator(".notice")).to_contain_text("its open cases send a refused email again")
    with live.sessions() as session:
        saved = session.scalar(select(Supplier.email).where(Supplier.supplier_id == target.supplier_id))
    assert saved == "new-address@supplier.example.test"
