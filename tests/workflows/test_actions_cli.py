"""`minerals actions`, `cases list` filters, `cases show` and `smelters outreach` on live actions."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from survey_kit import Kit, complete_filling, workbook
from typer.testing import CliRunner, Result

from cli.main import app
from models.corrective import CorrectiveAction
from models.enums import Stage
from models.messages import Cadence
from risk.actions import SMELTERS
from workflows import SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=1, escalation_after="1d", reopen_window="1d")


@pytest.fixture
def cli_env(kit: Kit, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI talks to the test's database, file store and Temporal server."""
    url = kit.sessions.kw["bind"].url.render_as_string(hide_password=False)
    monkeypatch.setenv("MINERALS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MINERALS_DATABASE_URL", url)
    monkeypatch.setenv("MINERALS_FILE_STORE_DIR", str(kit.store))
    monkeypatch.setenv("MINERALS_TEMPORAL_ADDRESS", kit.client.service_client.config.target_host)


async def minerals(*args: str) -> Result:
    """Run the command in a thread (it runs its own event loop)."""
    return await asyncio.to_thread(CliRunner().invoke, app, list(args))


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.usefixtures("cli_env")
async def test_staff_decide_actions_from_the_command_line(kit: Kit) -> None:
    inp, wid = await kit.survey("L1", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        filling = complete_filling((await kit.env.get_current_time()).date())
        filling.answers["Q3"]["Tin"] = "Yes"
        filling.company_answers["A"] = "No"
        await handle.execute_update(
            SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, workbook(filling))
        )
        case = str(inp.survey_id)
        assert [r["id"] for r in as_json(await minerals("cases", "list", "--open-actions", "--json"))] == [
            inp.survey_id
        ]
        assert as_json(await minerals("cases", "list", "--severity", "high", "--metal", "Tin", "--json"))
        assert as_json(await minerals("cases", "list", "--owner", "nobody@company.test", "--json")) == []
        assert as_json(await minerals("cases", "list", "--smelter", "CID999999", "--json")) == []
        shown = as_json(await minerals("cases", "show", case, "--json"))["actions"]
        high, medium = shown[0]["number"], shown[1]["number"]  # CASE/N, as the console and emails say
        assert (high, medium) == (f"{case}/1", f"{case}/2")
        refused = await minerals("actions", "waive", high, "--reason", " ")
        assert refused.exit_code == 2 and "justification" in refused.output
        closing = await minerals("cases", "close", case)
        assert closing.exit_code == 1 and "open corrective actions" in closing.output
        exempting = await minerals("cases", "exempt", case, "--reason", "no 3TG")
        assert exempting.exit_code == 1 and "open corrective actions" in exempting.output
        noted = as_json(await minerals("actions", "note", medium, "called the supplier", "--json"))
        assert noted["status"] == "open"
        assigned = as_json(await minerals("actions", "assign", medium, "lead@company.test", "--json"))
        assert assigned["owner"] == "lead@company.test"
        assert (
            as_json(await minerals("actions", "waive", high, "--reason", "tin exit", "--json"))["status"]
            == "waived"
        )
        again = await minerals("actions", "accept", high)
        assert again.exit_code == 1 and "waived" in again.output
        letter = kit.store.parent / "policy-letter.pdf"
        letter.write_bytes(b"%PDF-1.4 our sourcing policy")
        attached = await minerals("actions", "evidence", medium, str(letter), "--note", "policy", "--json")
        assert as_json(attached)["evidence_pending"] == 1
        assert (
            as_json(await minerals("actions", "accept", medium, "--reason", "policy on file", "--json"))[
                "status"
            ]
            == "accepted"
        )
        result = await handle.result()
    assert result.stage == Stage.CLOSED
    text = (await minerals("cases", "show", case)).output
    assert "expected: Provide a responsible minerals sourcing policy." in text
    assert "action.waived" in text and "tin exit" in text and "action.assigned" in text
    evidence = as_json(await minerals("cases", "show", case, "--json"))["actions"][1]["evidence"]
    assert [(e["kind"], e["review"], e["note"]) for e in evidence] == [("document", "accepted", "policy")]
    assert as_json(await minerals("cases", "list", "--open-actions", "--json")) == []


@pytest.mark.usefixtures("cli_env")
async def test_smelter_outreach_lists_smelters_by_dependent_suppliers_and_records_contact(kit: Kit) -> None:
    cases = [(await kit.survey(s, CADENCE, due_in=10 * DAY))[0].survey_id for s in ("O1", "O2")]
    with kit.sessions.begin() as session:
        for n, (case, smelters) in enumerate(
            zip(cases, (["CID000100", "CID000200"], ["CID000200"]), strict=True)
        ):
            file_id = kit.upload(case, b"answer").file_id
            findings = [
                {
                    "code": "smelter-not-conformant",
                    "severity": "high",
                    "metal": "Tin",
                    "smelter_id": cid,
                    "message": cid,
                }
                for cid in smelters
            ]
            session.add(
                CorrectiveAction(
                    survey_id=case,
                    n=1,
                    workflow_id=f"capa-test-{n}",
                    kind=SMELTERS,
                    group_key=SMELTERS,
                    severity="high",
                    required_outcome="Source only from RMAP conformant smelters.",
                    findings=findings,
                    opened_file_id=file_id,
                )
            )
    listed = as_json(await minerals("smelters", "outreach", "--json"))
    assert [(r["smelter_id"], r["suppliers"]) for r in listed] == [("CID000200", 2), ("CID000100", 1)]
    assert {d["supplier_id"] for d in listed[0]["dependents"]} == {"O1", "O2"}
    assert {d["number"] for d in listed[0]["dependents"]} == {f"{case}/1" for case in cases}
    missing = await minerals("smelters", "outreach", "--record", "CID000200")
    assert missing.exit_code == 2 and "--note" in missing.output
    recorded = as_json(
        await minerals("smelters", "outreach", "--record", "CID000200", "--note", "invited to RMAP", "--json")
    )
    assert [o["note"] for o in recorded[0]["outreach"]] == ["invited to RMAP"]
