"""Registry refresh under time-skipping: a new status list judges exactly the concerned cases again, and
each survey reacts as to an upload (actions open, resolve, the case goes back and forth)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from refresh_kit import import_list, status_list
from sqlalchemy import select
from survey_kit import Kit, complete_filling, survey_of, until, workbook

from models.audit import AuditEvent
from models.corrective import CorrectiveAction
from models.enums import ActionStatus, Stage
from models.messages import Cadence
from models.outreach import SmelterContact
from models.refresh import RegistryRefresh
from models.refresh_messages import RefreshInput, RefreshResult
from workflows import OutreachWorkflow, RegistryRefreshWorkflow, SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=1, escalation_after="1d", reopen_window="30d")


async def refresh(kit: Kit, import_id: int) -> RefreshResult:
    workflow_id = f"registry-refresh-test-{import_id}-{len(kit.tracked)}"
    kit.tracked.append(workflow_id)
    return await kit.client.execute_workflow(
        RegistryRefreshWorkflow.run,
        RefreshInput(import_id=import_id, page_size=1, pages_per_run=1),
        id=workflow_id,
        task_queue=kit.task_queue,
    )


def actions(kit: Kit, survey_id: int) -> list[CorrectiveAction]:
    with kit.sessions() as session:
        query = (
            select(CorrectiveAction)
            .where(CorrectiveAction.survey_id == survey_id)
            .order_by(CorrectiveAction.n)
        )
        return list(session.scalars(query))


def events(kit: Kit, subject: str, action: str) -> list[dict[str, Any]]:
    with kit.sessions() as session:
        query = select(AuditEvent.after).where(AuditEvent.subject == subject, AuditEvent.action == action)
        return [dict(a or {}) for a in session.scalars(query)]


async def test_a_status_change_reopens_an_accepted_case_and_its_return_resolves_the_action(
    kit: Kit, tmp_path: Path
) -> None:
    today = (await kit.env.get_current_time()).date()
    lists = tmp_path / "lists"
    import_list(
        kit.sessions,
        status_list(lists, "1.csv", {"CID000001": "Conformant", "CID000002": "Conformant"}),
        today - 60 * DAY,
    )
    inp, wid = await kit.survey("R1", CADENCE, due_in=10 * DAY)
    other, other_wid = await kit.survey("R2", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        bystander = await kit.start(other, other_wid)
        outcome = await handle.execute_update(
            SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, workbook(complete_filling(today)))
        )
        assert outcome.stage == Stage.ACCEPTED
        filling = complete_filling(today)
        filling.smelters = [{"metal": "Tin", "lookup": "Alias Sn"}]  # tin only: names the tin smelter
        for question in filling.answers.values():
            question.pop("Tungsten", None)
        filling.answers["Q1"]["Tungsten"] = filling.answers["Q2"]["Tungsten"] = "No"
        told = await bystander.execute_update(
            SurveyWorkflow.submit_upload, kit.upload(other.survey_id, workbook(filling))
        )
        assert told.stage == Stage.ACCEPTED

        second = import_list(
            kit.sessions,
            status_list(lists, "2.csv", {"CID000001": "Non Conformant", "CID000002": "Active"}),
            today - 30 * DAY,
        )
        result = await refresh(kit, second)
        # Both name the tin smelter, one the tungsten too; a page of one case a run: continued as new twice.
        assert (result.examined, result.changed, result.pages) == (2, 2, 3)
        await until(
            lambda: survey_of(kit.sessions, wid).stage == Stage.RISK_FOUND, "the case back to risk-found"
        )
        await until(lambda: len(actions(kit, inp.survey_id)) == 1, "an action naming the smelter")
        (action,) = actions(kit, inp.survey_id)
        assert action.kind == "smelters-not-conformant" and action.status == ActionStatus.OPEN
        assert {f["smelter_id"] for f in action.findings} == {"CID000001", "CID000002"}
        assert survey_of(kit.sessions, other_wid).stage == Stage.ACCEPTED  # active tin alone: no action
        assert actions(kit, other.survey_id) == []

        digest = kit.smtp.kinds().index("registry-digest")  # sent before the refresh returns
        assert kit.smtp.messages[digest]["To"] == "buyer@company.test"
        text = kit.smtp.text(digest)
        assert "CID000001 Standard W: conformant -> non-conformant" in text
        assert f"case {inp.survey_id}: risk none -> high" in text and f"case {other.survey_id}" in text

        outreach = kit.client.get_workflow_handle_for(OutreachWorkflow.run, "outreach-CID000001")
        kit.tracked.append("outreach-CID000001")
        assert (await outreach.query(OutreachWorkflow.state)).state == "needs-contact"  # no one to write to
        with kit.sessions.begin() as session:
            session.add(
                SmelterContact(smelter_id="CID000001", name="Sales", email="sales@w.test", language="ja")
            )
        await outreach.signal(OutreachWorkflow.contact_added)
        await until(lambda: "outreach-letter" in kit.smtp.kinds(), "the RMAP invitation letter")
        letter = kit.smtp.kinds().index("outreach-letter")
        assert kit.smtp.messages[letter]["To"] == "sales@w.test" and "RMAP" in kit.smtp.text(letter)
        assert "Supplier R1" in kit.smtp.text(letter)  # which of our suppliers depend on it

        again = await refresh(kit, second)  # the same list again: nothing changes, no second digest
        assert again.changed == 2 and len(actions(kit, inp.survey_id)) == 1
        assert len(events(kit, f"survey:{inp.survey_id}", "case.reassessed")) == 1
        assert kit.smtp.kinds().count("registry-digest") == 1

        third = import_list(kit.sessions, status_list(lists, "3.csv", {"CID000001": "Conformant"}), today)
        result = await refresh(kit, third)
        assert (result.examined, result.changed) == (1, 1)  # the tin smelter did not change
        await until(
            lambda: actions(kit, inp.survey_id)[0].status == ActionStatus.RESOLVED, "the action resolved"
        )
        await until(lambda: survey_of(kit.sessions, wid).stage == Stage.ACCEPTED, "the case accepted again")
        ended = await outreach.result()
        assert (ended.state, ended.outcome, ended.letters) == ("closed", "conformant", 1)
    with kit.sessions() as session:
        refreshes = list(session.scalars(select(RegistryRefresh).order_by(RegistryRefresh.id)))
    assert [len(r.facilities) for r in refreshes] == [2, 1]
    assert [(r.cases_examined, r.cases_changed) for r in refreshes] == [(2, 2), (1, 1)]
    assert len(events(kit, f"survey:{inp.survey_id}", "survey.reassessed")) == 2
