"""Reviewing a corrective action: documents open in the browser (PDF, images) or download (office files),
one decision form per action, a confirmation step, and a reason required to accept or waive."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import pytest
from a11y import assert_accessible
from console_kit import Console
from playwright.async_api import Browser, FilePayload, Page, expect
from stack_site import ADMIN, ANALYST, CHROMIUM, Site, browser_fixture, sign_in, site_fixture, until  # noqa: F401
from test_corrective_page import _action  # an action of a generated case

from activities.evidence import store_evidence
from cli.demo_data import Answer
from models.corrective import ActionEvidence

# A one-page PDF that Chromium's viewer renders.
PDF_PAGE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
)
SHOTS = os.environ.get("MINERALS_SCREENSHOTS", "")  # a folder: also save screenshots there
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


def _evidence(console: Console, case: int, action: int, name: str, content: bytes) -> int:
    store = console.settings.resolved_file_store_dir()
    sent = store_evidence(
        console.sessions,
        store,
        case,
        io.BytesIO(content),
        name,
        submitted_by="supplier",
        note="",
        max_bytes=10**6,
    )
    with console.sessions.begin() as session:
        session.add(
            ActionEvidence(action_id=action, file_id=sent.file_id, kind="document", submitted_by="supplier")
        )
    return sent.file_id


@pytest.mark.parametrize(
    ("name", "content", "media_type", "disposition"),
    [
        ("letter.pdf", PDF_PAGE, "application/pdf", "inline"),
        ("certificate.png", PNG, "image/png", "inline"),
        (
            "policy.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "attachment",
        ),
    ],
)
def test_evidence_opens_in_the_browser_or_downloads_with_the_security_headers(
    console: Console, name: str, content: bytes, media_type: str, disposition: str
) -> None:
    case = console.add_case("S1", "Generated Metals", stage="risk-found")
    action = _action(console, case, "open")
    file_id = _evidence(console, case, action, name, content)
    assert console.client.get(f"/files/{file_id}", follow_redirects=False).status_code == 303  # sign in first
    console.sign_in("viewer@company.test")
    page = console.client.get(f"/cases/{case}").text
    assert f'href="/files/{file_id}"' in page and name in page
    got = console.client.get(f"/files/{file_id}")
    assert got.status_code == 200 and got.content == content
    assert got.headers["content-type"].startswith(media_type)
    assert got.headers["content-disposition"].startswith(f'{disposition}; filename="{name}"')
    assert got.headers["x-content-type-options"] == "nosniff"
    policies = got.headers.get_list("content-security-policy")
    assert any(p.startswith("sandbox;") for p in policies) and any(
        "frame-ancestors 'none'" in p for p in policies
    )
    assert console.client.get("/files/99999").status_code == 404
    assert console.client.get("/files/99999999999999999999999").status_code == 404


def test_one_form_per_action_and_accept_needs_a_reason_and_a_confirmation(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals", stage="risk-found")
    action = _action(console, case, "open")
    console.sign_in("analyst@company.test")
    page = console.client.get(f"/cases/{case}").text
    assert page.count(f'action="/corrective-actions/{action}/review"') == 1
    for decision in ("accept", "reject", "extend", "waive"):
        assert f'name="decision" value="{decision}"' in page
    token = console.csrf("/")
    refused = console.client.post(
        f"/corrective-actions/{action}/review", data={"csrf": token, "decision": "accept", "reason": "  "}
    )
    assert refused.status_code == 400 and f"to accept action {case}/1, give a reason" in refused.text
    assert 'value="accept" required checked' in refused.text  # the form again, the choice kept
    direct = console.client.post(
        f"/corrective-actions/{action}/accept", data={"csrf": token, "reason": "", "confirm": "yes"}
    )
    assert direct.status_code == 400 and "give a reason" in direct.text
    waive = console.client.post(
        f"/corrective-actions/{action}/review", data={"csrf": token, "decision": "waive"}
    )
    assert waive.status_code == 400 and "give a justification" in waive.text
    asked = console.client.post(
        f"/corrective-actions/{action}/review",
        data={"csrf": token, "decision": "accept", "reason": "RMAP certificate <b>on file</b>"},
    )
    assert asked.status_code == 200 and f"Accept action {case}/1?" in asked.text
    assert "RMAP certificate &lt;b&gt;on file&lt;/b&gt;" in asked.text
    assert (
        f'action="/corrective-actions/{action}/accept"' in asked.text
        and 'name="confirm" value="yes"' in asked.text
    )
    unconfirmed = console.client.post(
        f"/corrective-actions/{action}/accept", data={"csrf": token, "reason": "RMAP certificate on file"}
    )
    # nothing sent yet
    assert unconfirmed.status_code == 200 and f"Accept action {case}/1?" in unconfirmed.text
    other = console.client.post(
        f"/corrective-actions/{action}/review", data={"csrf": token, "decision": "assign"}
    )
    assert other.status_code == 400 and "choose a decision" in other.text
    past = console.client.post(
        f"/corrective-actions/{action}/review",
        data={"csrf": token, "decision": "extend", "due": "2001-01-01"},
    )
    assert past.status_code == 400 and "a new due date in the future" in past.text


def test_viewers_cannot_decide_and_closed_actions_only_take_notes(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals", stage="accepted")
    action = _action(console, case, "accepted")
    console.sign_in("viewer@company.test")
    assert "/corrective-actions/" not in console.client.get(f"/cases/{case}").text
    token = console.csrf("/")
    data = {"csrf": token, "decision": "note", "reason": "called"}
    assert console.client.post(f"/corrective-actions/{action}/review", data=data).status_code == 403
    console.sign_in("analyst@company.test")
    page = console.client.get(f"/cases/{case}").text
    assert 'name="decision" value="note"' in page and 'name="decision" value="accept"' not in page
    token = console.csrf("/")
    refused = console.client.post(
        f"/corrective-actions/{action}/accept", data={"csrf": token, "reason": "r", "confirm": "yes"}
    )
    assert refused.status_code == 409 and "only a note can be added" in refused.text


async def _shot(page: Page, name: str) -> None:
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
@pytest.mark.asyncio(loop_scope="module")
async def test_in_the_browser_evidence_opens_a_decision_is_confirmed_audited_and_reported(
    site: Site, browser: Browser
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    p = await context.new_page()
    await p.goto(f"{site.base}{site.upload_link}")  # the supplier sends a letter
    letter: FilePayload = {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF_PAGE}
    offer = p.locator("article.action").first.locator("form")
    await offer.locator("input[type=file]").set_input_files(letter)
    await offer.locator("textarea[name=note]").fill("Our smelter list without the smelter")
    await offer.locator("button").click()
    await expect(p.locator(".notice")).to_contain_text("1")  # in the supplier's language: action 1 received

    await sign_in(site, p, ANALYST)
    case = site.cases[Answer.RISKY]
    await p.goto(f"{site.base}/cases/{case}")
    action = p.locator("article.corrective").first
    link = action.locator("a.evidence-link")
    await expect(link).to_have_text("letter.pdf", timeout=30_000)
    await assert_accessible(p)
    await _shot(p, "case-review.png")
    opened = await p.goto(f"{site.base}{await link.get_attribute('href')}")  # a download would raise
    assert opened is not None and opened.headers["content-type"] == "application/pdf"
    assert opened.headers["content-disposition"].startswith("inline")
    assert await p.evaluate("document.contentType") == "application/pdf"
    await until(
        lambda: any(f.url.startswith("chrome-extension://") for f in p.frames), "Chromium's PDF viewer"
    )
    await _shot(p, "evidence-pdf.png")

    await p.go_back()
    form = p.locator("article.corrective").first.locator("form.decide")
    await form.get_by_role("radio", name="Accept").check()
    await form.locator("button").click()  # no reason given
    await expect(p.locator("#decision-error")).to_contain_text("give a reason")
    await assert_accessible(p)
    await p.locator("form.decide").get_by_role("radio", name="Accept").check()
    await p.locator("form.decide textarea[name=reason]").fill("The smelter is gone from the list")
    await p.locator("form.decide button").click()
    await expect(p.get_by_role("heading", level=1)).to_contain_text("Accept action")
    await assert_accessible(p)
    await _shot(p, "decision-confirm.png")
    await p.click("button:has-text('Confirm: accept')")
    await expect(p.locator(".notice")).to_contain_text("accept recorded")
    accepted = p.locator("article.corrective").first.locator("li", has_text="action.accepted")
    await expect(accepted).to_contain_text("The smelter is gone from the list", timeout=30_000)
    await accepted.locator("a.audit-link").click()
    changes = p.locator("#changes")
    await expect(changes.locator("tr", has_text="Status")).to_contain_text("accepted")
    await expect(changes.locator("tr", has_text="Justification")).to_contain_text("The smelter is gone")
    await assert_accessible(p)
    await p.click(f"a:has-text('All events of case #{case}')")
    await expect(p.locator("#events")).to_contain_text("action.accepted")
    await assert_accessible(p)
    await _shot(p, "audit.png")

    await p.click("nav a:has-text('Reports')")
    await p.click("a:has-text('KPI table and charts')")
    bars = p.locator("#chart-shares svg rect.bar")
    await expect(bars).to_have_count(2 * 4)  # conformant and participating, per metal of 3TG
    assert (box := await p.locator("#chart-shares svg").bounding_box()) and box["height"] > 100
    await expect(p.locator("#chart-response svg circle.dot").first).to_be_attached()
    await assert_accessible(p)
    await _shot(p, "kpi.png")
    async with p.expect_download() as waiting:
        await p.click("#export-csv")
    exported = Path(await (await waiting.value).path())
    lines = list(csv.reader(exported.read_text(encoding="utf-8").splitlines()))
    assert lines[0][1] == "Minerals" and {"Tin", "Gold"} <= {line[1] for line in lines[1:]}
    await context.close()

    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    p = await context.new_page()
    await sign_in(site, p, ADMIN)
    await p.click("nav a:has-text('Users')")
    add = p.locator("#add-user")
    await add.get_by_label("Email").fill("new.analyst@company.test")
    await add.get_by_label("Role").select_option("analyst")
    await add.get_by_label("Password").fill("a long enough password")
    await add.locator("button").click()
    await expect(p.locator(".notice")).to_contain_text("Account added")
    await expect(p.locator("#users")).to_contain_text("new.analyst@company.test")
    await assert_accessible(p)
    await _shot(p, "users.png")
    await context.close()
