"""Corrective actions on the case page: viewers read them, analysts decide, refusals when not applicable."""

from __future__ import annotations

from console_kit import Console
from sqlalchemy import select

from models.corrective import ActionEvent, CorrectiveAction
from models.files import StoredFile

HOSTILE = "<script>alert(2)</script>"


def _action(console: Console, case: int, status: str) -> int:
    console.add_file(case, "cmrt.xlsx", [])
    with console.sessions.begin() as session:
        file_id = session.scalar(select(StoredFile.id).where(StoredFile.survey_id == case))
        assert file_id is not None
        action = CorrectiveAction(
            survey_id=case,
            n=1,
            workflow_id=f"capa-{case}-1",
            kind="smelter-risk",
            group_key="smelter-risk:Tin",
            metal="Tin",
            severity="high",
            required_outcome="Remove or justify the smelter",
            status=status,
            opened_file_id=file_id,
            findings=[{"message": "Smelter not conformant", "smelter_id": "CID000001"}],
        )
        session.add(action)
        session.flush()
        session.add(
            ActionEvent(action_id=action.id, actor="buyer@company.test", event="action.note", note=HOSTILE)
        )
        return action.id


def test_viewers_read_actions_analysts_get_the_decisions_that_apply(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals", stage="risk-found", risk="high")
    action = _action(console, case, "open")
    console.sign_in("viewer@company.test")
    page = console.client.get(f"/cases/{case}").text
    assert f"Action {case}/1: smelter-risk (Tin)" in page and "CID000001" in page
    assert HOSTILE not in page and "&lt;script&gt;alert(2)" in page
    assert "/corrective-actions/" not in page
    token = console.csrf("/")
    assert (
        console.client.post(f"/corrective-actions/{action}/accept", data={"csrf": token}).status_code == 403
    )

    console.sign_in("analyst@company.test")
    page = console.client.get(f"/cases/{case}").text
    assert f"/corrective-actions/{action}/review" in page
    for decision in ("accept", "reject", "waive", "extend", "note"):
        assert f'name="decision" value="{decision}"' in page
    token = console.csrf("/")
    no_reason = console.client.post(
        f"/corrective-actions/{action}/reject", data={"csrf": token, "reason": " "}
    )
    assert no_reason.status_code == 400 and "give a reason" in no_reason.text
    assert (
        console.client.post(f"/corrective-actions/{action}/accept", data={"reason": "x"}).status_code == 403
    )
    assert (
        console.client.post(f"/corrective-actions/{action}/assign", data={"csrf": token}).status_code == 404
    )


def test_a_closed_action_only_takes_notes(console: Console) -> None:
    case = console.add_case("S1", "Generated Metals", stage="accepted")
    action = _action(console, case, "accepted")
    console.sign_in("analyst@company.test")
    page = console.client.get(f"/cases/{case}").text
    assert 'name="decision" value="note"' in page and 'name="decision" value="accept"' not in page
    refused = console.client.post(
        f"/corrective-actions/{action}/waive", data={"csrf": console.csrf("/"), "reason": "r"}
    )
    assert refused.status_code == 409 and "only a note can be added" in refused.text
