"""At 390 px wide (a phone) every staff page and the portal fit: nothing makes the page scroll sideways, and
every navigation link and button can be reached on screen (real Chromium, the embedded stack's console)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, ViewportSize, expect
from stack_site import CHROMIUM, Site, browser_fixture, sign_in, site_fixture, visit  # noqa: F401

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
    pytest.mark.asyncio(loop_scope="module"),
]
PHONE: ViewportSize = {"width": 390, "height": 844}

# What sticks out sideways: the page's own width, and each link or button (outside a container that
# scrolls on its own, such as a wide table's) that is not wholly within the viewport.
OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (p.scrollWidth > p.clientWidth && ['auto', 'scroll'].includes(style.overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll('a, button, input, select, textarea, summary')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || scrolls(el)) continue;
    if (box.left < 0 || box.right > width + 0.5) {
      out.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.name || '').trim().slice(0, 40)}" `
        + `at ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, out};
}"""


@pytest_asyncio.fixture(loop_scope="module")
async def phone(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True)
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def _off_screen(site: Site, page: Page, name: str, path: str) -> list[str]:
    await visit(site, page, name, path)
    found = await page.evaluate(OFF_SCREEN)
    problems = list(found["out"])
    if found["scrollWidth"] > found["width"]:
        problems.insert(0, f"the page is {found['scrollWidth']} px wide in a {found['width']} px viewport")
    return [f"{name} ({path}): {p}" for p in problems]


async def test_every_staff_page_fits_a_phone(site: Site, phone: Page) -> None:
    await sign_in(site, phone)
    problems = []
    for name, path in site.staff_pages().items():
        problems += await _off_screen(site, phone, name, path)
    assert not problems, "\n".join(problems)


async def test_sign_out_is_on_screen_and_works_on_a_phone(site: Site, phone: Page) -> None:
    await sign_in(site, phone)
    sign_out = phone.get_by_role("button", name="Sign out")
    await expect(sign_out).to_be_in_viewport(ratio=1)
    await sign_out.click()
    await expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()


async def test_sign_in_and_the_portal_fit_a_phone(site: Site, phone: Page) -> None:
    problems = []
    for name, path in site.public_pages().items():
        problems += await _off_screen(site, phone, name, path)
    assert not problems, "\n".join(problems)
