"""A whole site to look at in the browser: the embedded stack as `minerals up` runs it (its own console, with
the captured-mail reader), a campaign whose suppliers answered (a file with mistakes, a risky one with a
corrective action, silent ones), a registry list, and staff accounts; plus every page worth visiting."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from console_kit import PASSWORD
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from cli.campaign import start_campaign_workflow
from cli.cases import submit_file
from cli.demo_data import RISKY_SMELTER, Answer, DemoSupplier, demo_suppliers, write_answer
from cli.enrol import CampaignPlan, enrol
from models.corrective import CorrectiveAction
from models.db import make_engine, session_factory
from models.enums import Stage, TemplateFamily
from models.registry import RegistryFacility, RegistryImport, RegistryStatus
from models.supplier import Supplier
from models.survey import Survey
from models.users import User
from worker.devserver import StackError, temporal_binary
from worker.mail_capture import captured_mail
from worker.stack import Stack

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
CAMPAIGN = "CMRT-2027"
ANALYST, ADMIN = "analyst@company.test", "admin@company.test"


@dataclass
class Site:
    """The running stack's console and what it holds."""

    base: str
    sessions: sessionmaker[Session]
    mail_dir: Path
    cases: dict[Answer, int]  # a case per way of answering
    upload_link: str  # the portal of the case with a corrective action
    supplier_id: str = ""  # the supplier of that case

    def staff_pages(self) -> dict[str, str]:
        """Every staff page, by name."""
        return {
            "dashboard": "/",
            "cases": "/cases",
            "case": f"/cases/{self.cases[Answer.MISTAKES]}",
            "case with a corrective action": f"/cases/{self.cases[Answer.RISKY]}",
            "registry": "/registry",
            "smelter": f"/registry/{RISKY_SMELTER.smelter_id}",
            "audit": "/audit",
            "audit event": "/audit/1",
            "campaigns": "/campaigns",
            "campaign": f"/campaigns/{CAMPAIGN}",
            "suppliers": "/suppliers",
            "supplier": f"/suppliers/{self.supplier_id}",
            "reports": "/reports",
            "users": "/admin/users",
            "mail": "/mail",
            "KPI": f"/reports/kpi?campaign={CAMPAIGN}",
            "error": "/no/such/page",
        }

    def public_pages(self) -> dict[str, str]:
        """The pages anyone can open: sign-in and the supplier portal."""
        return {"login": "/login", "portal": self.upload_link, "portal_invalid": "/upload/not-a-valid-link"}

    def count(self, query: Select[int]) -> int:
        """A count from the database."""
        with self.sessions() as session:
            return session.scalar(query) or 0


async def until(check: Callable[[], bool], what: str, seconds: float = 90) -> None:
    """Wait for something the workflows do."""
    for _ in range(int(seconds * 10)):
        if check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def add_people(sessions: sessionmaker[Session], password_hash: str, suppliers: list[DemoSupplier]) -> None:
    """The staff accounts (an analyst and an admin) and the suppliers."""
    with sessions.begin() as session:
        session.add(User(email=ANALYST, role="analyst", password_hash=password_hash))
        session.add(User(email=ADMIN, role="admin", password_hash=password_hash))
        for s in suppliers:
            session.add(
                Supplier(
                    supplier_id=s.supplier_id,
                    name=s.name,
                    email=s.email,
                    contact_name=s.contact_name,
                    language=s.language,
                    owner_email=s.owner_email,
                )
            )


def _registry(sessions: sessionmaker[Session]) -> None:
    """The risky supplier's smelter on an imported status list."""
    with sessions.begin() as session:
        listed = RegistryImport(
            file_name="status-list.csv",
            sha256="1" * 64,
            kind="status-list",
            as_of=dt.date(2026, 1, 1),
            rows_read=1,
            statuses_added=1,
        )
        session.add(listed)
        session.flush()
        smelter_id = str(RISKY_SMELTER.smelter_id)
        session.add(
            RegistryFacility(
                smelter_id=smelter_id,
                metal=RISKY_SMELTER.metal,
                name=RISKY_SMELTER.standard_name or RISKY_SMELTER.alias,
                country=RISKY_SMELTER.country,
                first_import_id=listed.id,
            )
        )
        session.flush()
        session.add(
            RegistryStatus(smelter_id=smelter_id, import_id=listed.id, as_of=listed.as_of, status="active")
        )


@contextlib.asynccontextmanager
async def running_site(folder: Path, password_hash: str) -> AsyncIterator[Site]:
    """Start the stack with its console, run the campaign, let two suppliers answer; stop it all after."""
    try:
        temporal_binary()
    except StackError as exc:
        pytest.skip(str(exc))
    async with Stack(folder, ui=False) as stack:
        assert stack.client is not None and stack.addresses.console
        settings = stack.settings
        sessions = session_factory(make_engine(settings.resolved_database_url()))
        suppliers = demo_suppliers(3, (Answer.MISTAKES, Answer.RISKY, Answer.SILENT))
        add_people(sessions, password_hash, suppliers)
        _registry(sessions)
        plan = CampaignPlan(
            name=CAMPAIGN,
            template=TemplateFamily.CMRT,
            due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=60),
            reminder_every="14d",
            reminders=2,
            escalation_after="7d",
            page_size=100,
        )
        campaign, _ = enrol(sessions, plan, [s.supplier_id for s in suppliers])
        await start_campaign_workflow(stack.client, settings, campaign)
        requested = select(func.count()).where(Survey.stage == Stage.REQUESTED.value)
        site = Site(stack.addresses.console, sessions, stack.addresses.mail_dir, {}, "")
        await until(lambda: site.count(requested) == len(suppliers), "every request email")
        with sessions() as session:
            rows = session.execute(
                select(Supplier.supplier_id, Survey.id, Survey.workflow_id).join(
                    Survey, Survey.supplier_id == Supplier.id
                )
            ).all()
        found = {sid: (case, workflow) for sid, case, workflow in rows}
        for supplier in suppliers:
            case, workflow = found[supplier.supplier_id]
            site.cases[supplier.answer] = case
            if supplier.answer != Answer.SILENT:
                answer = write_answer(supplier, supplier.answer, folder / "answers")
                await submit_file(stack.client, settings, case, workflow, answer, "supplier")
        risky = site.cases[Answer.RISKY]
        opened = select(func.count()).where(CorrectiveAction.survey_id == risky)
        await until(lambda: site.count(opened) > 0, "a corrective action")
        mail = next(m for m in captured_mail(site.mail_dir) if suppliers[1].email in m.rcpt_tos)
        site.supplier_id = suppliers[1].supplier_id
        site.upload_link = re.findall(r"http://127\.0\.0\.1:\d+(/upload/\S+)", mail.text())[0]
        yield site


@pytest_asyncio.fixture(name="site", scope="module", loop_scope="module")
async def site_fixture(tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> AsyncIterator[Site]:
    """The running site, one per test module (its tests run on the module's event loop)."""
    async with running_site(tmp_path_factory.mktemp("stack"), password_hash) as running:
        yield running


@pytest_asyncio.fixture(name="browser", scope="module", loop_scope="module")
async def browser_fixture() -> AsyncIterator[Browser]:
    """Debian's Chromium (Playwright never downloads a browser)."""
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def visit(site: Site, page: Page, name: str, path: str) -> None:
    """Open a page of the site; it must answer as a working page (the error pages with their status)."""
    response = await page.goto(f"{site.base}{path}")
    assert response is not None
    expected = {"error": 404, "portal_invalid": 403}.get(name, 200)
    assert response.status == expected, f"{name} ({path}) answered {response.status}"


async def sign_in(site: Site, page: Page, email: str = ADMIN) -> None:
    """Sign in through the form."""
    await page.goto(f"{site.base}/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button:has-text('Sign in')")
    await page.wait_for_url(f"{site.base}/")
