"""API writes that go to workflows, on the real Temporal test server and worker: a file submitted on the
supplier's behalf, a corrective action decided, a case's due date extended; each audited as the token."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "workflows"))

import survey_kit  # noqa: E402
from survey_kit import Kit, complete_filling, until, workbook  # noqa: E402

from cases.api_tokens import create_token  # noqa: E402
from console.app import create_app  # noqa: E402
from models.messages import Cadence  # noqa: E402
from models.settings import Settings  # noqa: E402
from models.survey import Survey  # noqa: E402
from models.users import Role  # noqa: E402

kit, sessions, smtp = survey_kit.kit, survey_kit.sessions, survey_kit.smtp  # the workflow tests' fixtures
DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=1, escalation_after="1d", reopen_window="1d")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
async def http(kit: Kit, tmp_path: Path, database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The console app on the kit's database, file store and Temporal client, with an analyst's token."""
    settings = Settings(
        data_dir=str(tmp_path / "console"),
        database_url=database_url,
        upload_secret="api-writes-secret-0123456789",
        public_base_url="http://testserver",
        file_store_dir=str(kit.store),
        max_upload_bytes=200_000,
    )
    _, secret = create_token(kit.sessions, "erp", Role.ANALYST, actor="test")
    app = create_app(settings, sessions=kit.sessions, client=kit.client)
    headers = {"Authorization": f"Bearer {secret}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver/api/v1", headers=headers
    ) as c:
        yield c


async def test_a_file_a_decision_and_an_extension_sent_through_the_api(
    kit: Kit, http: httpx.AsyncClient
) -> None:
    async with kit.worker():
        inp, wid = await kit.survey("E1", CADENCE, due_in=10 * DAY)
        await kit.start(inp, wid)
        case = inp.survey_id

        extended = await http.post(f"/cases/{case}/extend", json={"due": "+30d", "reason": "asked by phone"})
        assert extended.status_code == 202, extended.text
        want = inp.due_at + 20 * DAY

        def moved() -> bool:
            with kit.sessions() as session:
                row = session.get(Survey, case)
                return row is not None and row.due_at.replace(tzinfo=dt.UTC) > want

        await until(moved, "the due date moved")

        filling = complete_filling((await kit.env.get_current_time()).date())
        filling.answers["Q3"]["Tin"] = "Yes"
        filling.company_answers["A"] = "No"
        sent = await http.post(f"/cases/{case}/files", files={"file": ("cmrt.xlsx", workbook(filling), XLSX)})
        assert sent.status_code == 201, sent.text
        assert sent.json()["status"] == "complete"
        shown = (await http.get(f"/cases/{case}")).json()
        assert shown["files"][-1]["uploaded_by"] == "token:erp" and shown["findings"]

        actions = (await http.get("/corrective-actions", params={"case": case})).json()["items"]
        assert actions and all(a["status"] == "open" for a in actions)
        first = actions[0]["id"]
        decided = await http.post(
            f"/corrective-actions/{first}/decisions", json={"decision": "waive", "reason": "not in scope"}
        )
        assert decided.status_code == 200, decided.text
        again = (await http.get(f"/corrective-actions/{first}")).json()
        assert again["status"] == "waived" and any(e["actor"] == "token:erp" for e in again["timeline"])
        refused = await http.post(f"/corrective-actions/{first}/decisions", json={"decision": "accept"})
        assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    history = [e["actor"] for e in shown["history"]]
    assert "token:erp" in history, history
