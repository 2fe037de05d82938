"""Accessibility check of a browser page with axe-core (bundled by axe-playwright-python, no network).

Call `await assert_accessible(page)` on a page after it has loaded: it fails with one line per
offending element (rule id, impact, what the rule asks for, the element's selector)."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page

AXE = Axe()
# The WCAG 2.x A and AA rules plus axe's best practices (landmarks, one h1, headings in order).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


async def violations(page: Page) -> list[dict[str, Any]]:
    """The axe-core violations on the page as it is now."""
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    results = await AXE.run(page, options=options)
    return list(results.response["violations"])


def describe(found: list[dict[str, Any]]) -> str:
    """One line per element that breaks a rule: rule id, impact, the rule's help, the selector."""
    lines = []
    for rule in found:
        for node in rule["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} -> {target}")
    return "\n".join(lines)


async def assert_accessible(page: Page) -> None:
    """Fail when axe-core finds any violation on the page, listing every one."""
    found = await violations(page)
    assert not found, f"axe-core violations on {page.url}:\n{describe(found)}"
