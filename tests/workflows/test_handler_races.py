"""Staff act while a supplier's file is being verified: the handler refuses, nothing waits forever."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from survey_kit import Kit, complete_filling, survey_of, until, workbook
from temporalio import activity
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from activities import CorrectiveActivities, IntakeActivities
from models.audit import AuditEvent
from models.enums import ActionStatus, ActivityName, Decision, Stage
from models.messages import (
    ActionChange,
    ActionDecision,
    Cadence,
    CloseCase,
    Exempt,
    FileRef,
    SubmitEvidence,
    SurveyInput,
)
from workflows import CorrectiveActionWorkflow, SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=3, escalation_after="1d", reopen_window="1d")
STAFF = "staff@company.test"


class Gate:
    """Holds an activity at its start once `arm`ed, so staff can act in that window."""

    def __init__(self) -> None:
        self.entered, self.release = asyncio.Event(), asyncio.Event()
        self.release.set()

    def arm(self) -> None:
        self.entered.clear()
        self.release.clear()

    async def passing(self) -> None:
        if not self.release.is_set():
            self.entered.set()
            await self.release.wait()


class HeldVerify(Gate):
    """The real verify_upload behind a gate."""

    def __init__(self, kit: Kit) -> None:
        super().__init__()
        self._real = IntakeActivities(kit.sessions, kit.store)

    @activity.defn(name=ActivityName.VERIFY_UPLOAD)
    async def verify_upload(self, ref: FileRef) -> None:
        await self.passing()
        await self._real.verify_upload(ref)


class HeldRecordAction(Gate):
    """The real record_action behind a gate: the action's loop is busy writing while messages arrive."""

    def __init__(self, kit: Kit) -> None:
        super().__init__()
        self._real = CorrectiveActivities(kit.sessions)

    @activity.defn(name=ActivityName.RECORD_ACTION)
    async def record_action(self, change: ActionChange) -> None:
        await self.passing()
        await self._real.record_action(change)


async def stage_is(handle: WorkflowHandle[Any, Any], stage: Stage) -> None:
    async def reached() -> bool:
        return (await handle.query(SurveyWorkflow.state)).stage == stage

    await until(reached, f"the case reaches {stage.value}")


async def risk_found(
    kit: Kit, handle: WorkflowHandle[Any, Any], inp: SurveyInput
) -> tuple[WorkflowHandle[Any, Any], dt.date]:
    """Answer a started case with a risky template; the handle of the one action it opens, and today."""
    today = (await kit.env.get_current_time()).date()
    outcome = await handle.execute_update(SurveyWorkflow.submit_upload, risky(kit, inp.survey_id, today))
    assert outcome.stage == Stage.RISK_FOUND
    workflow_id = f"capa-c-{inp.supplier_id}-{inp.supplier_id}-1"
    kit.tracked.append(workflow_id)  # its history joins the replay corpus
    return kit.client.get_workflow_handle_for(CorrectiveActionWorkflow.run, workflow_id), today


def risky(kit: Kit, survey_id: int, today: dt.date, name: str = "cmrt.xlsx") -> Any:
    """A template declaring tin from covered countries: one corrective action."""
    filling = complete_filling(today)
    filling.answers["Q3"]["Tin"] = "Yes"
    return kit.upload(survey_id, workbook(filling), name)


@pytest.mark.parametrize("staff_end", ["close", "exempt"])
async def test_a_case_closed_or_exempted_during_an_upload_refuses_it_and_ends(
    kit: Kit, staff_end: str
) -> None:
    supplier = "R1" if staff_end == "close" else "R2"
    inp, wid = await kit.survey(supplier, CADENCE, due_in=10 * DAY)
    held = HeldVerify(kit)
    async with kit.worker(held.verify_upload):
        handle = await kit.start(inp, wid)
        today = (await kit.env.get_current_time()).date()
        upload = kit.upload(inp.survey_id, workbook(complete_filling(today)))
        held.arm()
        answer = asyncio.create_task(handle.execute_update(SurveyWorkflow.submit_upload, upload))
        await asyncio.wait_for(held.entered.wait(), 30)
        if staff_end == "close":
            await handle.signal(SurveyWorkflow.close, CloseCase(actor=STAFF, reason="supplier left"))
        else:
            await handle.signal(SurveyWorkflow.exempt, Exempt(actor=STAFF, reason="no 3TG in parts"))
        ended = Stage.CLOSED if staff_end == "close" else Stage.EXEMPTED
        await stage_is(handle, ended)
        held.release.set()
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await asyncio.wait_for(answer, 60)  # before: taken by no one, it never returned
        result = await handle.result()  # the run no longer waits on an upload nobody takes
    word = "closed" if staff_end == "close" else "exempted"
    assert f"this case was {word} while your file was being verified" in str(refused.value.cause)
    assert result.stage == ended and result.last_file_id is None
    row = survey_of(kit.sessions, wid)
    assert (row.stage, row.last_file_id) == (ended, None)
    assert kit.smtp.kinds() == ["request"]


async def test_an_upload_while_the_last_action_is_waived_is_refused_and_the_case_ends(kit: Kit) -> None:
    inp, wid = await kit.survey("R3", CADENCE, due_in=10 * DAY)
    held = HeldVerify(kit)
    async with kit.worker(held.verify_upload):
        handle = await kit.start(inp, wid)
        action, today = await risk_found(kit, handle, inp)
        held.arm()
        second = risky(kit, inp.survey_id, today, "cmrt-v2.xlsx")
        answer = asyncio.create_task(handle.execute_update(SurveyWorkflow.submit_upload, second))
        await asyncio.wait_for(held.entered.wait(), 30)
        waive = ActionDecision(decision=Decision.WAIVE, actor=STAFF, reason="tin line discontinued")
        await action.execute_update(CorrectiveActionWorkflow.decide, waive)
        await stage_is(handle, Stage.CLOSED)
        held.release.set()
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await asyncio.wait_for(answer, 60)  # before: taken by no one, it never returned
        result = await handle.result()
    assert "this case was closed while your file was being verified" in str(refused.value.cause)
    assert (result.stage, result.open_actions) == (Stage.CLOSED, 0)
    assert result.last_file_id is not None and result.last_file_id != second.file_id  # never taken


async def test_evidence_arriving_while_staff_accept_the_action_is_refused_and_both_finish(kit: Kit) -> None:
    inp, wid = await kit.survey("R4", CADENCE, due_in=10 * DAY)
    held = HeldVerify(kit)
    async with kit.worker(held.verify_upload):
        handle = await kit.start(inp, wid)
        action, _ = await risk_found(kit, handle, inp)
        doc = kit.upload(inp.survey_id, b"%PDF-1.4 smelter letter", "letter.pdf")
        held.arm()
        evidence = SubmitEvidence(file_id=doc.file_id, sha256=doc.sha256, size=doc.size, note="letter")
        offered = asyncio.create_task(
            action.execute_update(CorrectiveActionWorkflow.submit_evidence, evidence)
        )
        await asyncio.wait_for(held.entered.wait(), 30)
        accept = ActionDecision(decision=Decision.ACCEPT, actor=STAFF, reason="RMAP certificates on file")
        accepted = await action.execute_update(CorrectiveActionWorkflow.decide, accept)
        held.release.set()
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await asyncio.wait_for(offered, 60)  # before: queued after the loop ended, never applied
        action_end, result = await action.result(), await handle.result()
    assert accepted.status == action_end.status == ActionStatus.ACCEPTED
    assert "this action was accepted while your document was being verified" in str(refused.value.cause)
    assert action_end.evidence_pending == 0
    assert result.stage == Stage.ACCEPTED


async def test_evidence_queued_behind_an_accept_is_refused_not_left_pending(kit: Kit) -> None:
    inp, wid = await kit.survey("R5", CADENCE, due_in=10 * DAY)
    held = HeldRecordAction(kit)
    async with kit.worker(held.record_action):
        handle = await kit.start(inp, wid)
        action, _ = await risk_found(kit, handle, inp)
        await until(lambda: held.release.is_set() and bool(audit_actions(kit)), "the action opened")
        held.arm()
        note = ActionDecision(decision=Decision.NOTE, actor=STAFF, reason="called the supplier")
        noted = asyncio.create_task(action.execute_update(CorrectiveActionWorkflow.decide, note))
        await asyncio.wait_for(held.entered.wait(), 30)  # the loop is writing the note
        accept = ActionDecision(decision=Decision.ACCEPT, actor=STAFF, reason="RMAP certificates on file")
        accepted = asyncio.create_task(action.execute_update(CorrectiveActionWorkflow.decide, accept))
        doc = kit.upload(inp.survey_id, b"%PDF-1.4 smelter letter", "letter.pdf")
        evidence = SubmitEvidence(file_id=doc.file_id, sha256=doc.sha256, size=doc.size, note="letter")
        offered = asyncio.create_task(
            action.execute_update(CorrectiveActionWorkflow.submit_evidence, evidence)
        )
        await until(lambda: verified_and_taken(action), "the evidence queued behind the decision")
        held.release.set()
        await noted
        assert (await asyncio.wait_for(accepted, 60)).status == ActionStatus.ACCEPTED
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await asyncio.wait_for(offered, 60)
        action_end = await action.result()
        await handle.result()
    assert "this action was accepted before your document was taken" in str(refused.value.cause)
    assert action_end.evidence_pending == 0 and "action.evidence-received" not in audit_actions(kit)


async def verified_and_taken(action: WorkflowHandle[Any, Any]) -> bool:
    """True once a workflow task completed after the action's verify_upload did (the handler went on)."""
    events = (await action.fetch_history()).events
    names = {
        e.event_id: e.activity_task_scheduled_event_attributes.activity_type.name
        for e in events
        if e.HasField("activity_task_scheduled_event_attributes")
    }
    verified = [
        e.event_id
        for e in events
        if e.HasField("activity_task_completed_event_attributes")
        and names[e.activity_task_completed_event_attributes.scheduled_event_id] == ActivityName.VERIFY_UPLOAD
    ]
    return bool(verified) and any(
        e.event_id > verified[-1] and e.HasField("workflow_task_completed_event_attributes") for e in events
    )


def audit_actions(kit: Kit) -> list[str]:
    with kit.sessions() as session:
        return list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("action.%"))))
