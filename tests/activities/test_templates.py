"""Every email kind renders in every language: subject, text and escaped HTML, with the upload link."""

from __future__ import annotations

import pytest

from activities.compose import LANGUAGES, WITH_UPLOAD_LINK, EmailRenderer
from models.enums import EmailKind

CONTEXT = {
    "name": "Pat & <Co>",
    "supplier": "Parts <b>Co</b>",
    "campaign": "y2030",
    "template": "CMRT",
    "due": "2030-03-31",
    "upload_url": "https://portal.test/upload/1.2.sig",
    "template_url": "https://rmi.test/templates",
    "reminder": 2,
    "reminders": 2,
    "fixing": True,
    "file_name": "answer<1>.xlsx",
    "issues": [{"sheet": "Declaration", "cell": "D16", "message": "fill <this>", "severity": "error"}],
    "issue_count": 1,
    "findings": [{"message": "smelter <x> not conformant"}],
    "finding_count": 1,
    "action": {
        "n": 2,
        "status": "waived",
        "required_outcome": "Complete the smelter list for Tin.",
        "findings": [{"message": "smelter <y> not conformant"}],
    },
    "reason": "not <enough>",
}
renderer = EmailRenderer()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(EmailKind))
def test_kind_renders_in_language(kind: EmailKind, language: str) -> None:
    mail = renderer.render(kind, language, CONTEXT)
    assert mail.language == language and mail.subject and "\n" not in mail.subject
    assert "Parts <b>Co</b>" in mail.subject + mail.text and "Pat & <Co>" in mail.text
    assert "<b>" not in mail.html and "<Co>" not in mail.html and "Pat &amp; &lt;Co&gt;" in mail.html
    assert (CONTEXT["upload_url"] in mail.text) == (kind in WITH_UPLOAD_LINK)
    assert (f'href="{CONTEXT["upload_url"]}"' in mail.html) == (kind in WITH_UPLOAD_LINK)
    if kind == EmailKind.FIX_REQUEST:
        assert "Declaration D16" in mail.text and "fill &lt;this&gt;" in mail.html
    if kind.value.startswith("action-") and kind != EmailKind.ACTION_CLOSED:
        assert "smelter <y> not conformant" in mail.text and "smelter &lt;y&gt;" in mail.html
    if kind in (EmailKind.ACTION_REJECTED, EmailKind.ACTION_CLOSED):
        assert "not <enough>" in mail.text and "not &lt;enough&gt;" in mail.html
    if kind == EmailKind.RISK_FOUND:
        assert "smelter <x> not conformant" in mail.text and "smelter &lt;x&gt;" in mail.html
