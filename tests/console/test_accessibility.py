"""axe-core finds no accessibility violation on any page of the console or the portal (real Chromium, the
embedded stack's own console); the stack's Captured mail page shows what the suppliers received."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from a11y import assert_accessible, describe, violations
from playwright.async_api import Browser, Page, expect
from stack_site import ANALYST, CHROMIUM, Site, browser_fixture, sign_in, site_fixture, visit  # noqa: F401

from worker.mail_capture import captured_mail

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.asyncio(loop_scope="module"),
]


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def test_the_check_reports_each_broken_rule_with_its_element(page: Page) -> None:
    await page.set_content(
        '<html><body><main><h1>x</h1><img src="a.png"><input name="q"></main></body></html>'
    )
    found = describe(await violations(page))
    assert "image-alt (critical)" in found and "-> img" in found
    assert "label (critical)" in found and "html-has-lang" in found
    with pytest.raises(AssertionError, match="image-alt"):
        await assert_accessible(page)


async def _failures(site: Site, page: Page, pages: dict[str, str]) -> list[str]:
    """What axe-core finds on each page, named by page."""
    failures = []
    for name, path in pages.items():
        await visit(site, page, name, path)
        found = await violations(page)
        if found:
            failures.append(f"{name} ({path}):\n{describe(found)}")
    return failures


@pytest.mark.parametrize("width", [1280, 390])  # a phone too: wide tables scroll there, and take focus
async def test_every_staff_page_has_no_violation(site: Site, page: Page, width: int) -> None:
    await page.set_viewport_size({"width": width, "height": 900})
    await sign_in(site, page)
    failures = await _failures(site, page, site.staff_pages())
    assert not failures, "\n\n".join(failures)


async def test_sign_in_and_the_supplier_portal_have_no_violation(site: Site, page: Page) -> None:
    failures = await _failures(site, page, site.public_pages())
    await page.goto(f"{site.base}/login")
    await page.fill("input[name=email]", "nobody@company.test")
    await page.fill("input[name=password]", "wrong password")
    await page.click("button:has-text('Sign in')")
    await expect(page.locator(".error")).to_contain_text("Sign-in failed")
    await assert_accessible(page)  # the page with the error message
    assert not failures, "\n\n".join(failures)


async def test_the_stacks_own_console_shows_the_captured_mail(site: Site, page: Page) -> None:
    await sign_in(site, page, ANALYST)
    await page.click("nav a:has-text('Captured mail')")
    sent = captured_mail(site.mail_dir)
    assert len(sent) >= 3  # a request email per supplier
    await expect(page.locator("main p").first).to_contain_text(f"{len(sent)} message(s)")
    first = page.locator("details.mail").first
    await expect(first).to_contain_text("to ")
    await first.locator("summary").click()
    await expect(first.locator("pre")).to_contain_text("/upload/")
    await page.fill("input[name=to]", sent[0].rcpt_tos[0])
    await page.click("button:has-text('Filter')")
    await expect(page.locator("details.mail")).to_have_count(
        sum(1 for m in sent if sent[0].rcpt_tos[0] in m.rcpt_tos)
    )
    await assert_accessible(page)
