"""Survey answers under time-skipping: on time, after reminders, incomplete then fixed, rejected uploads."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select
from survey_kit import Kit, complete_filling, survey_of, until, workbook
from temporalio.client import WorkflowUpdateFailedError

from models.enums import CheckStatus, Decision, Stage
from models.files import StoredFile
from models.messages import ActionDecision, Cadence, CloseCase, Reopen, SubmitUpload
from models.report_declaration import ReportDeclaration
from models.survey import Finding
from workflows import CorrectiveActionWorkflow, SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=3, escalation_after="1d", reopen_window="1d")


async def today(kit: Kit) -> dt.date:
    return (await kit.env.get_current_time()).date()


async def test_answer_before_the_first_reminder_is_accepted(kit: Kit) -> None:
    inp, wid = await kit.survey("A1", CADENCE, due_in=30 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await kit.env.sleep(DAY)
        upload = kit.upload(inp.survey_id, workbook(complete_filling(await today(kit))))
        outcome = await handle.execute_update(SurveyWorkflow.submit_upload, upload)
        result = await handle.result()
    assert outcome.stage == result.stage == Stage.ACCEPTED and result.reminders_sent == 0
    assert kit.smtp.kinds() == ["request", "accepted"]
    row = survey_of(kit.sessions, wid)
    assert (row.stage, row.last_file_id) == (Stage.ACCEPTED, upload.file_id)
    assert row.responded_at is not None and row.closed_at is not None
    with kit.sessions() as session:  # what the KPI report will count for this answer
        declared = session.get(ReportDeclaration, upload.file_id)
    assert declared is not None and declared.family == "CMRT"
    assert len(declared.smelters) == len(complete_filling(await today(kit)).smelters) > 0


async def test_risky_answer_after_two_reminders_stops_in_risk_found_with_findings(kit: Kit) -> None:
    inp, wid = await kit.survey("A2", CADENCE, due_in=30 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await kit.env.sleep(5 * DAY)
        filling = complete_filling(await today(kit))
        filling.answers["Q3"]["Tin"] = "Yes"  # tin from the covered countries
        outcome = await handle.execute_update(
            SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, workbook(filling))
        )
        action = kit.client.get_workflow_handle_for(CorrectiveActionWorkflow.run, "capa-c-A2-A2-1")
        waive = ActionDecision(decision=Decision.WAIVE, actor="staff", reason="tin line discontinued")
        await action.execute_update(CorrectiveActionWorkflow.decide, waive)
        result = await handle.result()
    assert (outcome.stage, result.reminders_sent, result.risk) == (Stage.RISK_FOUND, 2, "high")
    assert result.stage == Stage.CLOSED  # after its one corrective action was waived
    assert kit.smtp.kinds() == [
        "request",
        "reminder",
        "reminder",
        "risk-found",
        "action-request",
        "action-closed",
    ]
    assert "buyer@company.test" in str(kit.smtp.messages[3]["Cc"])
    with kit.sessions() as session:
        codes = session.scalars(select(Finding.code).where(Finding.survey_id == inp.survey_id)).all()
    assert codes == ["sourcing-covered-countries"] and result.finding_count == 1
    assert survey_of(kit.sessions, wid).risk == "high"


async def test_incomplete_file_gets_a_fix_request_in_japanese_then_the_fixed_one_is_accepted(
    kit: Kit,
) -> None:
    inp, wid = await kit.survey("A3", CADENCE, due_in=30 * DAY, language="ja")
    async with kit.worker():
        handle = await kit.start(inp, wid)
        broken = complete_filling(await today(kit))
        broken.company.pop("contact_email")
        broken.answers["Q1"]["Gold"] = None
        broken_upload = kit.upload(inp.survey_id, workbook(broken))
        first = await handle.execute_update(SurveyWorkflow.submit_upload, broken_upload)
        assert (first.status, first.stage) == (
            CheckStatus.INCOMPLETE,
            Stage.FIX_REQUESTED,
        ) and first.issue_count > 2
        with kit.sessions() as session:
            stored = session.get(StoredFile, first.file_id)
            assert stored is not None and stored.issue_count == first.issue_count
            cells = {(i["sheet"], i["cell"]) for i in stored.issues}
        await until(lambda: len(kit.smtp.messages) == 2, "the fix request, sent after the verdict")
        fix = kit.smtp.messages[1]
        assert fix["X-Minerals-Kind"] == "fix-request" and "修正" in str(fix["Subject"])
        text = kit.smtp.text(1)
        assert all(f"{sheet} {cell}" in text for sheet, cell in cells if sheet and cell)  # every issue listed
        assert "D16" in text  # the missing contact email's cell

        await kit.env.sleep(2 * DAY + dt.timedelta(hours=1))  # the fix round has its own reminders
        state = await handle.query(SurveyWorkflow.state)
        assert (state.stage, state.round, state.reminders_sent) == (Stage.FIX_REQUESTED, 1, 1)
        assert "修正済み" in kit.smtp.text(2)

        with pytest.raises(WorkflowUpdateFailedError) as again:
            await handle.execute_update(SurveyWorkflow.submit_upload, broken_upload)
        assert "already checked" in str(again.value.cause)
        fixed = kit.upload(inp.survey_id, workbook(complete_filling(await today(kit))), "fixed.xlsx")
        second = await handle.execute_update(SurveyWorkflow.submit_upload, fixed)
        result = await handle.result()
    assert second.stage == result.stage == Stage.ACCEPTED
    assert kit.smtp.kinds() == ["request", "fix-request", "reminder", "accepted"]
    assert "受理" in str(kit.smtp.messages[-1]["Subject"])


async def test_rejected_uploads_leave_the_case_waiting(kit: Kit) -> None:
    inp, wid = await kit.survey("A4", CADENCE, due_in=30 * DAY)
    data = workbook(complete_filling(await today(kit)))
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await kit.env.sleep(dt.timedelta(hours=1))  # the request has gone out
        good = kit.upload(inp.survey_id, data)
        too_big = good.model_copy(update={"size": inp.max_upload_bytes + 1})
        with pytest.raises(WorkflowUpdateFailedError) as raised:
            await handle.execute_update(SurveyWorkflow.submit_upload, too_big)
        assert "limit" in str(raised.value.cause)
        altered = good.model_copy(update={"sha256": "0" * 64})
        with pytest.raises(WorkflowUpdateFailedError) as raised:
            await handle.execute_update(SurveyWorkflow.submit_upload, altered)
        assert "does not match" in str(raised.value.cause)
        other_case = SubmitUpload(file_id=good.file_id + 100, sha256=good.sha256, size=good.size)
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(SurveyWorkflow.submit_upload, other_case)
        assert (await handle.query(SurveyWorkflow.state)).stage == Stage.REQUESTED

        await handle.signal(
            SurveyWorkflow.close, CloseCase(actor="staff@company.test", reason="supplier left")
        )
        await kit.env.sleep(dt.timedelta(hours=1))
        assert (await handle.query(SurveyWorkflow.state)).stage == Stage.CLOSED
        with pytest.raises(WorkflowUpdateFailedError) as raised:
            await handle.execute_update(SurveyWorkflow.submit_upload, good)
        assert "closed" in str(raised.value.cause)

        await handle.signal(SurveyWorkflow.reopen, Reopen(actor="staff@company.test"))
        outcome = await handle.execute_update(SurveyWorkflow.submit_upload, good)
        result = await handle.result()
    assert outcome.stage == result.stage == Stage.ACCEPTED and result.round == 1
    assert kit.smtp.kinds() == ["request", "request", "accepted"]  # asked again on reopen
    assert survey_of(kit.sessions, wid).stage == Stage.ACCEPTED


async def test_an_upload_sent_with_the_reopen_waits_for_it(dev_kit: Kit) -> None:
    """Staff reopen a closed case and the supplier uploads at once: the worker gets both in one workflow
    task, and the upload is taken once the case is reopened instead of being refused as closed."""
    kit = dev_kit
    inp, wid = await kit.survey("A4", CADENCE, due_in=30 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await handle.signal(SurveyWorkflow.close, CloseCase(actor="staff@company.test", reason="left"))
        await until(lambda: survey_of(kit.sessions, wid).stage == Stage.CLOSED, "the case closed")
    good = kit.upload(inp.survey_id, workbook(complete_filling(await today(kit))))
    await handle.signal(SurveyWorkflow.reopen, Reopen(actor="staff@company.test"))
    upload = asyncio.create_task(handle.execute_update(SurveyWorkflow.submit_upload, good))
    await asyncio.sleep(1)  # the update waits at the server for the same workflow task as the signal
    async with kit.worker():
        outcome = await upload
    assert outcome.stage == Stage.ACCEPTED
    assert survey_of(kit.sessions, wid).stage == Stage.ACCEPTED
