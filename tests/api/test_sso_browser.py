"""Single sign-on in Chromium against a real OpenID Connect provider (oidc-provider-mock, started here):
the role comes from a claim; a person without a mapped role is refused; local sign-in stays. And the API's
interactive docs, which run in the same browser under the console's security policy."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from console_kit import PASSWORD, SECRET, Console
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread
from playwright.async_api import Page, async_playwright, expect
from sqlalchemy import select
from stack_site import ARGS, CHROMIUM
from survey_kit import free_port

from console.app import create_app
from models.audit import AuditEvent
from models.settings import Settings
from models.users import User

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
PEOPLE = [
    ProviderUser(
        sub="ana", claims={"email": "ana@company.test", "email_verified": True, "groups": ["minerals-admins"]}
    ),
    ProviderUser(sub="bo", claims={"email": "bo@company.test", "groups": ["sales"]}),
]


@pytest.fixture
async def site(console: Console, tmp_path: Path, database_url: str) -> AsyncIterator[str]:
    """The console on a free port, configured for the provider running beside it."""
    with run_server_in_thread(user_claims=PEOPLE) as provider:
        port = free_port()
        settings = Settings(
            data_dir=str(tmp_path),
            database_url=database_url,
            upload_secret=SECRET,
            public_base_url=f"http://127.0.0.1:{port}",
            oidc_issuer=f"http://localhost:{provider.server_port}",
            oidc_client_id="minerals-console",
            oidc_client_secret="client-secret",
            oidc_roles="minerals-admins=admin,minerals-staff=viewer",
        )
        app = create_app(settings, sessions=console.sessions)
        server = uvicorn.Server(
            uvicorn.Config(
                app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", log_config=None
            )
        )
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.05)
        try:
            yield settings.public_base_url
        finally:
            server.should_exit = True
            await serving


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield await browser.new_page()
        finally:
            await browser.close()


async def test_staff_sign_in_through_the_identity_provider(site: str, page: Page, console: Console) -> None:
    await page.goto(f"{site}/login?next=/admin/integrations")
    await page.click("text=Sign in with your company account")
    assert "code_challenge_method=S256" in page.url and "nonce=" in page.url  # PKCE and a nonce went along
    await page.click("button[value=ana]")  # the provider's page: sign in as a predefined person
    await expect(page.locator("h1")).to_have_text("Integrations")  # an admin page: the claim made her admin
    with console.sessions() as session:
        user = session.scalars(select(User).where(User.email == "ana@company.test")).one()
        assert user.role == "admin"
        via = session.scalars(select(AuditEvent.after).where(AuditEvent.action == "user.signed-in")).all()
        assert via and via[-1]["via"].startswith("http://localhost:")

    await page.context.clear_cookies()
    await page.goto(f"{site}/login/sso")
    await page.click("button[value=bo]")
    await expect(page.locator("main")).to_contain_text("gives you no role here")
    await page.goto(f"{site}/login")  # break-glass: a local account still signs in
    await page.fill("input[name=email]", "admin@company.test")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button:has-text('Sign in')")
    await page.goto(f"{site}/admin/integrations")
    await expect(page.locator("h1")).to_have_text("Integrations")


async def test_the_interactive_api_docs_work_under_the_consoles_security_policy(
    site: str, page: Page
) -> None:
    await page.goto(f"{site}/api/v1/docs")
    await expect(page.locator(".swagger-ui .info .title")).to_contain_text("Responsible Minerals API")
    await expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert await page.locator(".opblock").count() >= 20
