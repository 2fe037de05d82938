"""Every email kind renders in every language: subject, text and escaped HTML, with the upload link."""

from __future__ import annotations

from typing import Any

import pytest

from activities.compose import WITH_UPLOAD_LINK, EmailRenderer
from i18n import available
from models.enums import EmailKind

CONTEXT: dict[str, Any] = {
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
        "number": "7/2",
        "status": "waived",
        "required_outcome": "Complete the smelter list for Tin.",
        "findings": [{"message": "smelter <y> not conformant"}],
    },
    "reason": "not <enough>",
    "supplier_id": "S-1",
    "refused": "old<x>@supplier.test",
    "error": "550 5.1.1 <mailbox> unknown",
    "fix_command": "minerals suppliers update S-1 --email NEW-ADDRESS",
    "case_url": "https://portal.test/cases/7",
}
renderer = EmailRenderer()


@pytest.mark.parametrize("language", available())
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
    if kind.value.startswith("action-"):  # numbered CASE/N, as the console and the CLI show it
        assert "7/2" in mail.subject + mail.text and "7/2" in mail.html
    if kind.value.startswith("action-") and kind != EmailKind.ACTION_CLOSED:
        assert "smelter <y> not conformant" in mail.text and "smelter &lt;y&gt;" in mail.html
    if kind in (EmailKind.ACTION_REJECTED, EmailKind.ACTION_CLOSED):
        assert "not <enough>" in mail.text and "not &lt;enough&gt;" in mail.html
    if kind == EmailKind.BOUNCE_NOTICE:  # says which address was refused, why, and how to correct it
        assert "old<x>@supplier.test" in mail.text and "old&lt;x&gt;@supplier.test" in mail.html
        assert "550 5.1.1 <mailbox> unknown" in mail.text and "&lt;mailbox&gt;" in mail.html
        assert CONTEXT["fix_command"] in mail.text and CONTEXT["fix_command"] in mail.html
        assert CONTEXT["case_url"] in mail.text and f'href="{CONTEXT["case_url"]}"' in mail.html
    if kind == EmailKind.RISK_FOUND:
        assert "smelter <x> not conformant" in mail.text and "smelter &lt;x&gt;" in mail.html
