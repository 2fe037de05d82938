"""Portal evidence refused before it reaches a workflow: wrong type, too large, Temporal away; the CLI too."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from console_kit import SECRET, Console
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from activities.evidence import EvidenceRefused, check_evidence, content_kind, safe_name
from activities.filestore import TooLarge
from activities.links import LinkSigner
from cli.main import app
from console.portal import portal_csrf
from models.corrective import CorrectiveAction
from models.files import StoredFile

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def office(*parts: str) -> bytes:
    """A zip with these parts (and content types), as Office writes one."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for part in ("[Content_Types].xml", *parts):
            archive.writestr(part, "<x/>")
    return buf.getvalue()


def xlsx() -> bytes:
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


def _action(console: Console, case: int, status: str = "open") -> int:
    with console.sessions.begin() as session:
        assessed = StoredFile(survey_id=case, sha256="0" * 64, size=1, path="x", original_name="a.xlsx")
        session.add(assessed)
        session.flush()
        action = CorrectiveAction(
            survey_id=case,
            n=1,
            workflow_id=f"capa-CMRT-2027-{case}-1",
            kind="sourcing-policy",
            group_key="sourcing-policy",
            severity="medium",
            required_outcome="Provide a responsible minerals sourcing policy.",
            owner="buyer@company.test",
            status=status,
            due_at=dt.datetime(2027, 5, 1),
            opened_file_id=assessed.id,
            findings=[{"message": "No sourcing policy (company question A)"}],
        )
        session.add(action)
        session.flush()
        return action.id


def _files(console: Console) -> int:
    with console.sessions() as session:
        return session.scalar(select(func.count()).select_from(StoredFile)) or 0


def _post(
    console: Console, case: int, action: int, name: str, data: bytes, note: str = ""
) -> tuple[int, str]:
    token = LinkSigner(SECRET, "http://testserver").token(
        case, dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    )
    csrf = portal_csrf(console.client.app.state.console, token)  # the page may no longer show a form
    sent = console.client.post(
        f"/upload/{token}/evidence",
        data={"csrf": csrf, "action": str(action), "note": note},
        files={"file": (name, data, "application/octet-stream")},
    )
    return sent.status_code, sent.text


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.pdf", PDF, "pdf"),
        ("a.png", PNG, "png"),
        ("a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        ("a.docx", office("word/document.xml"), "docx"),
        ("a.xlsx", xlsx(), "xlsx"),
    ],
)
def test_each_accepted_type_is_known_by_its_content(name: str, data: bytes, kind: str) -> None:
    assert content_kind(io.BytesIO(data)) == kind
    assert check_evidence(io.BytesIO(data), name, 1 << 20) == name


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("letter.pdf", b"<html><script>x</script></html>"),  # the name lies
        ("letter.pdf", PNG),  # an image is not a PDF
        ("letter.exe", PDF),  # a PDF under a name the reviewer's machine would run
        ("letter.xlsx", office("xl/workbook.xml", "xl/vbaProject.bin")),  # macros
        ("letter.docx", office("word/other.xml")),  # a zip, not a Word document
        ("letter.docx", b"PK\x03\x04 broken"),
        ("letter", PDF),
    ],
)
def test_content_that_is_not_what_an_accepted_name_says_is_refused(name: str, data: bytes) -> None:
    with pytest.raises(EvidenceRefused, match="only PDF, PNG, JPEG"):
        check_evidence(io.BytesIO(data), name, 1 << 20)


def test_names_lose_paths_and_reserved_characters() -> None:
    assert safe_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert safe_name('C:\\fakepath\\a<b>:"c|?*.PDF') == "abc.pdf"
    assert safe_name("\x00\n .pdf") == "evidence.pdf"
    assert safe_name("x" * 400 + ".png") == "x" * 100 + ".png"
    with pytest.raises(TooLarge):
        check_evidence(io.BytesIO(PDF + b"x" * 100), "a.pdf", 50)


def test_the_portal_refuses_a_wrong_type_or_an_oversize_file_and_stores_nothing(console: Console) -> None:
    case = console.add_case("S1", "Mine Metals", stage="risk-found", risk="high")
    action = _action(console, case)
    status, text = _post(console, case, action, "letter.pdf", b"MZ\x90\x00 not a pdf", note="draft words")
    assert status == 415 and "This type of file is not accepted" in text
    assert ">draft words</textarea>" in text  # what the supplier wrote is kept
    big = PDF + b"x" * console.settings.max_upload_bytes
    status, text = _post(console, case, action, "letter.pdf", big)
    assert status == 413 and "The file is too large" in text
    status, text = _post(console, case, action, "letter.pdf", b"")
    assert status == 415
    assert _files(console) == 1  # only the assessed template of the case


def test_temporal_out_of_reach_says_nothing_was_lost_and_keeps_the_note(console: Console) -> None:
    case = console.add_case("S1", "Mine Metals", stage="risk-found", risk="high")
    action = _action(console, case)
    status, text = _post(console, case, action, "letter.pdf", PDF, note="<b>our policy</b>")
    assert status == 503 and "nothing was lost" in text
    assert "&lt;b&gt;our policy&lt;/b&gt;</textarea>" in text and "<b>our policy" not in text
    assert "Traceback" not in text


def test_a_closed_action_shows_no_form_and_takes_nothing(console: Console) -> None:
    case = console.add_case("S1", "Mine Metals", stage="risk-found", risk="high")
    action = _action(console, case, status="accepted")
    status, text = _post(console, case, action, "letter.pdf", PDF)
    assert status == 409 and f"Corrective action {case}/1 is accepted" in text
    assert "/evidence" not in text and _files(console) == 1


def test_the_cli_refuses_the_same_types_before_storing(
    console: Console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINERALS_DATABASE_URL", console.settings.resolved_database_url())
    monkeypatch.setenv("MINERALS_UPLOAD_SECRET", SECRET)
    case = console.add_case("S1", "Mine Metals", stage="risk-found", risk="high")
    _action(console, case)  # numbered 1 in its case
    page = tmp_path / "page.pdf"
    page.write_bytes(b"<html>not a pdf</html>")
    result = CliRunner().invoke(
        app, ["actions", "evidence", f"{case}/1", str(page), "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 1 and "only PDF, PNG, JPEG" in result.output
    assert _files(console) == 1
