"""Suppliers send corrective-action evidence from the portal, on the real Temporal test server and worker."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))

import survey_kit  # noqa: E402
from console_kit import PASSWORD  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from survey_kit import Kit, complete_filling, workbook  # noqa: E402

from activities.links import LinkSigner  # noqa: E402
from cases.action_view import actions_of_case  # noqa: E402
from console.app import create_app  # noqa: E402
from models.audit import AuditEvent  # noqa: E402
from models.corrective import ActionEvidence, CorrectiveAction  # noqa: E402
from models.enums import ActionStatus, Decision  # noqa: E402
from models.files import StoredFile  # noqa: E402
from models.messages import ActionDecision, Cadence  # noqa: E402
from models.settings import Settings  # noqa: E402
from models.users import User  # noqa: E402
from workflows import CorrectiveActionWorkflow, SurveyWorkflow  # noqa: E402

kit, sessions, smtp = survey_kit.kit, survey_kit.sessions, survey_kit.smtp  # the workflow tests' fixtures
SECRET = "portal-evidence-secret-0123456789"
DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=1, escalation_after="1d", reopen_window="1d")
HOSTILE = '<script>alert("note")</script>'
PDF = b"%PDF-1.4\n% a letter from the supplier\n"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Portal:
    """The console app on the kit's database, file store and Temporal client, driven over ASGI."""

    kit: Kit
    http: httpx.AsyncClient

    def token(self, case: int) -> str:
        return LinkSigner(SECRET, "http://testserver").token(case, dt.datetime.now(dt.UTC) + DAY)

    async def csrf(self, path: str) -> str:
        found = CSRF.search((await self.http.get(path)).text)
        assert found, path
        return found.group(1)

    async def send(
        self, token: str, action: int, data: bytes = PDF, name: str = "letter.pdf", note: str = ""
    ) -> httpx.Response:
        """Post one document as the portal's form does."""
        fields = {"csrf": await self.csrf(f"/upload/{token}"), "action": str(action), "note": note}
        return await self.http.post(
            f"/upload/{token}/evidence", data=fields, files={"file": (name, data, "application/pdf")}
        )


@pytest.fixture
async def portal(kit: Kit, tmp_path: Path, database_url: str, password_hash: str) -> AsyncIterator[Portal]:
    """The portal and staff console in the test's event loop, with an analyst account."""
    settings = Settings(
        data_dir=str(tmp_path / "console"),
        database_url=database_url,
        upload_secret=SECRET,
        public_base_url="http://testserver",
        file_store_dir=str(kit.store),
        max_upload_bytes=200_000,
    )
    with kit.sessions.begin() as session:
        session.add(User(email="analyst@company.test", role="analyst", password_hash=password_hash))
    app = create_app(settings, sessions=kit.sessions, client=kit.client)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield Portal(kit, http)


async def risky_case(kit: Kit, supplier_id: str) -> tuple[int, dict[str, CorrectiveAction]]:
    """A case whose template opened two corrective actions (sourcing risk, sourcing policy)."""
    inp, wid = await kit.survey(supplier_id, CADENCE, due_in=10 * DAY)
    handle = await kit.start(inp, wid)
    filling = complete_filling((await kit.env.get_current_time()).date())
    filling.answers["Q3"]["Tin"] = "Yes"
    filling.company_answers["A"] = "No"
    await handle.execute_update(SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, workbook(filling)))
    with kit.sessions() as session:
        rows = session.scalars(select(CorrectiveAction).where(CorrectiveAction.survey_id == inp.survey_id))
        return inp.survey_id, {a.kind: a for a in rows}


def count(kit: Kit, table: Any, *where: Any) -> int:
    with kit.sessions() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where)) or 0


async def test_a_supplier_sends_a_document_that_staff_see_awaiting_review(portal: Portal, kit: Kit) -> None:
    async with kit.worker():
        case, actions = await risky_case(kit, "E1")
        policy = actions["sourcing-policy"]
        token = portal.token(case)
        page = (await portal.http.get(f"/upload/{token}")).text
        assert f"Corrective action {case}/1" in page and f"Corrective action {case}/2" in page
        assert "Provide a responsible minerals sourcing policy." in page
        assert policy.findings[0]["message"] in page
        assert "buyer@company.test" not in page  # the owner is internal
        sent = await portal.send(token, policy.id, name="C:\\Users\\me\\<b>policy letter.pdf", note=HOSTILE)
        assert sent.status_code == 303 and sent.headers["location"].startswith(f"/upload/{token}?sent=2")
        state = await kit.client.get_workflow_handle(policy.workflow_id).query(CorrectiveActionWorkflow.state)
        assert state.evidence_pending == 1 and state.status == ActionStatus.OPEN

        confirmed = (await portal.http.get(sent.headers["location"])).text
        assert f"your document for corrective action {case}/2 was received" in confirmed
        assert HOSTILE not in confirmed and "&lt;script&gt;alert(&#34;note&#34;)" in confirmed
        assert "bpolicy letter.pdf" in confirmed and "awaiting review" in confirmed

    with kit.sessions() as session:
        evidence = session.scalars(select(ActionEvidence).where(ActionEvidence.action_id == policy.id)).one()
        stored = session.get(StoredFile, evidence.file_id)
        assert stored is not None
        [shown] = [a for a in actions_of_case(session, case) if a["id"] == policy.id]  # `cases show`
    assert (evidence.kind, evidence.review, evidence.note, evidence.submitted_by) == (
        "document",
        "pending",
        HOSTILE,
        "supplier",
    )
    assert shown["evidence"] == [
        {
            "file_id": stored.id,
            "kind": "document",
            "review": "pending",
            "note": HOSTILE,
            "name": stored.original_name,
        }
    ]
    assert stored.original_name == "bpolicy letter.pdf" and stored.survey_id == case
    assert (kit.store / stored.path).read_bytes() == PDF
    assert count(kit, AuditEvent, AuditEvent.action == "file.stored", AuditEvent.subject == f"survey:{case}")
    assert count(
        kit,
        AuditEvent,
        AuditEvent.action == "action.evidence-received",
        AuditEvent.subject == f"action:{policy.id}",
        AuditEvent.actor == "supplier",
    )

    fields = {"email": "analyst@company.test", "password": PASSWORD, "csrf": await portal.csrf("/login")}
    assert (await portal.http.post("/login", data={**fields, "next": "/"})).status_code == 303
    staff = (await portal.http.get(f"/cases/{case}")).text
    assert "action.evidence-received" in staff
    assert HOSTILE not in staff and "&lt;script&gt;" in staff


async def test_a_token_reaches_only_its_own_cases_actions(portal: Portal, kit: Kit) -> None:
    async with kit.worker():
        mine, _ = await risky_case(kit, "E2")
        other, theirs = await risky_case(kit, "E3")
        files = count(kit, StoredFile)
        target = theirs["sourcing-policy"]
        refused = await portal.send(portal.token(mine), target.id, note="not yours")
        assert refused.status_code == 404 and "not part of your case" in refused.text
        assert "Supplier E3" not in refused.text
        forged = portal.token(mine).replace(f"{mine}.", f"{other}.", 1)
        assert (await portal.http.post(f"/upload/{forged}/evidence")).status_code == 403
        no_csrf = await portal.http.post(
            f"/upload/{portal.token(other)}/evidence",
            data={"action": str(target.id)},
            files={"file": ("letter.pdf", PDF, "application/pdf")},
        )
        assert no_csrf.status_code == 403
        state = await kit.client.get_workflow_handle(target.workflow_id).query(CorrectiveActionWorkflow.state)
    assert state.evidence_pending == 0
    assert count(kit, StoredFile) == files and count(kit, ActionEvidence) == 0


async def test_a_closed_action_takes_no_evidence(portal: Portal, kit: Kit) -> None:
    async with kit.worker():
        case, actions = await risky_case(kit, "E4")
        policy, risk = actions["sourcing-policy"], actions["sourcing-risk"]
        decision = ActionDecision(decision=Decision.WAIVE, actor="analyst@company.test", reason="exits tin")
        await kit.client.get_workflow_handle(risk.workflow_id).execute_update(
            CorrectiveActionWorkflow.decide, decision
        )
        token = portal.token(case)
        page = (await portal.http.get(f"/upload/{token}")).text
        assert f'name="action" value="{risk.id}"' not in page
        assert f'name="action" value="{policy.id}"' in page
        files = count(kit, StoredFile)
        refused = await portal.send(token, risk.id)
        assert refused.status_code == 409 and f"Corrective action {case}/1 is waived" in refused.text
    assert count(kit, StoredFile) == files and count(kit, ActionEvidence) == 0
