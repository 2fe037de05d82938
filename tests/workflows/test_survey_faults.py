"""Faults a case survives: a refused address, a relay that is down, a terminated action, a missing row."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from survey_kit import Kit, SmtpSink, complete_filling, free_port, survey_of, until, workbook
from temporalio.client import WorkflowExecutionStatus, WorkflowFailureError, WorkflowHandle

from models.audit import AuditEvent
from models.corrective import ActionEvent, CorrectiveAction
from models.enums import CheckStatus, Stage
from models.messages import Cadence, ContactChanged, Reopen, SurveyInput
from models.outbox import EmailMessage
from models.supplier import Supplier
from workflows import CorrectiveActionWorkflow, SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="1d", reminders=2, escalation_after="1d", reopen_window="1d")
STAFF = "staff@company.test"


def audit(kit: Kit, prefix: str) -> list[tuple[str, dict[str, Any] | None]]:
    with kit.sessions() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(r.action, r.after) for r in rows if r.action.startswith(prefix)]


async def stage_is(handle: WorkflowHandle[Any, Any], stage: Stage) -> None:
    async def reached() -> bool:
        return (await handle.query(SurveyWorkflow.state)).stage == stage

    await until(reached, f"the case reaches {stage.value}")


async def test_a_refused_address_keeps_the_timers_tells_the_owner_and_is_resent_once_corrected(
    kit: Kit,
) -> None:
    kit.smtp.inbox.refused.add("b1@supplier.test")
    inp, wid = await kit.survey("B1", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await kit.env.sleep(5 * DAY)  # request, two reminders, escalation
        state = await handle.query(SurveyWorkflow.state)
        assert (state.stage, state.reminders_sent, state.escalated) == (Stage.ESCALATED, 2, True)
        assert state.bounced == "reminder"
        await kit.env.sleep(6 * DAY)  # past the due date
        await stage_is(handle, Stage.OVERDUE)
        # One notice to the owner; the escalation still reaches the owner in copy.
        assert kit.smtp.kinds() == ["bounce-notice", "escalation"]
        notice, escalation = kit.smtp.messages
        assert notice["X-Envelope-To"] == escalation["X-Envelope-To"] == "buyer@company.test"

        with kit.sessions.begin() as session:
            supplier = session.scalars(select(Supplier).where(Supplier.supplier_id == "B1")).one()
            supplier.email = "orders@b1.test"
        await handle.signal(
            SurveyWorkflow.contact_changed, ContactChanged(email="orders@b1.test", actor=STAFF)
        )
        await until(lambda: len(kit.smtp.messages) == 3, "the refused reminder, sent again")
        resent = kit.smtp.messages[2]
        assert (resent["X-Minerals-Kind"], resent["X-Envelope-To"]) == ("reminder", "orders@b1.test")
        assert (await handle.query(SurveyWorkflow.state)).bounced is None

        today = (await kit.env.get_current_time()).date()
        upload = kit.upload(inp.survey_id, workbook(complete_filling(today)))
        outcome = await handle.execute_update(SurveyWorkflow.submit_upload, upload)
        result = await handle.result()
    assert outcome.stage == result.stage == Stage.ACCEPTED
    assert kit.smtp.kinds()[-1] == "accepted"
    bounced = [after for action, after in audit(kit, "survey.") if action == "survey.email-bounced"]
    assert len(bounced) == 3  # the request and both reminders
    assert all(a and a["stage"] != Stage.PENDING and "550" in a["note"] for a in bounced)
    steps = [action for action, _ in audit(kit, "survey.") if action != "survey.email-bounced"]
    assert steps == [
        "survey.requested",
        "survey.reminded",
        "survey.reminded",
        "survey.escalated",
        "survey.overdue",
        "survey.upload-received",
        "survey.accepted",
    ]


async def test_the_upload_verdict_does_not_wait_for_a_relay_that_is_down(kit: Kit) -> None:
    down = dataclasses.replace(kit, smtp=SmtpSink(free_port()))  # nothing listens there yet
    inp, wid = await down.survey("D1", CADENCE, due_in=10 * DAY)
    async with down.worker():
        handle = await down.start(inp, wid)
        today = (await down.env.get_current_time()).date()
        upload = down.upload(inp.survey_id, workbook(complete_filling(today)))
        # Before, the verdict waited for the "accepted" email, retried for as long as the relay is down.
        update = handle.execute_update(SurveyWorkflow.submit_upload, upload)
        outcome = await asyncio.wait_for(update, 60)
        assert (outcome.status, outcome.stage) == (CheckStatus.COMPLETE, Stage.ACCEPTED)
        assert survey_of(down.sessions, wid).stage == Stage.ACCEPTED
        with down.sessions() as session:
            unsent = session.scalars(select(EmailMessage.kind).where(EmailMessage.sent_at.is_(None))).all()
        assert unsent == ["request"]  # the verdict's email waits behind it, to keep the case's order
        controller = Controller(down.smtp.inbox, hostname="127.0.0.1", port=down.smtp.port)
        controller.start()
        try:
            result = await handle.result()  # the run ends once its emails went out
        finally:
            controller.stop()
    assert result.stage == Stage.ACCEPTED
    assert down.smtp.kinds() == ["request", "accepted"]  # in the order of the case


async def test_a_terminated_action_is_recorded_closed_and_the_case_carries_on_and_reopens(
    dev_kit: Kit,
) -> None:
    kit = dev_kit  # real time: the case stays open for reopening 10 seconds
    inp, wid = await kit.survey("T1", CADENCE.model_copy(update={"reopen_window": "10s"}), due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        today = (await kit.env.get_current_time()).date()
        filling = complete_filling(today)
        filling.answers["Q3"]["Tin"] = "Yes"  # one corrective action
        risky = await handle.execute_update(
            SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, workbook(filling))
        )
        assert risky.stage == Stage.RISK_FOUND
        action = kit.client.get_workflow_handle_for(CorrectiveActionWorkflow.run, "capa-c-T1-T1-1")
        await until(lambda: bool(audit(kit, "action.opened")), "the action opened")
        await action.terminate(reason="operator stopped a stuck action")
        await stage_is(handle, Stage.CLOSED)
        assert (await handle.query(SurveyWorkflow.state)).open_actions == 0

        await handle.signal(SurveyWorkflow.reopen, Reopen(actor=STAFF, reason="ask for a clean template"))
        await stage_is(handle, Stage.REQUESTED)
        clean = kit.upload(inp.survey_id, workbook(complete_filling(today)), "clean.xlsx")
        outcome = await handle.execute_update(SurveyWorkflow.submit_upload, clean)
        result = await handle.result()
    assert outcome.stage == result.stage == Stage.ACCEPTED  # the earlier action does not close it again
    with kit.sessions() as session:
        row = session.scalars(
            select(CorrectiveAction).where(CorrectiveAction.survey_id == inp.survey_id)
        ).one()
        events = session.scalars(select(ActionEvent).where(ActionEvent.action_id == row.id)).all()
    assert row.status == "closed" and row.closed_at is not None
    assert [e.event for e in events] == ["action.opened", "action.closed"]
    assert "terminated" in events[-1].note
    assert [a for a, _ in audit(kit, "action.closed")] == ["action.closed"]
    assert [a for a, _ in audit(kit, "survey.")] == [
        "survey.requested",
        "survey.upload-received",
        "survey.risk-found",
        "survey.actions-closed",
        "survey.reopened",
        "survey.requested",
        "survey.upload-received",
        "survey.accepted",
    ]


async def test_a_case_whose_row_is_gone_ends_saying_so_instead_of_retrying(kit: Kit) -> None:
    inp, wid = await kit.survey("M1", CADENCE, due_in=10 * DAY)
    gone = SurveyInput.model_validate(inp.model_dump() | {"survey_id": inp.survey_id + 1000})
    async with kit.worker():
        handle = await kit.start(gone, wid)
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
    assert f"survey {gone.survey_id} does not exist" in str(failed.value.cause)


async def test_a_new_template_gets_its_verdict_when_the_action_it_would_update_was_terminated(
    kit: Kit,
) -> None:
    inp, wid = await kit.survey("T2", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        today = (await kit.env.get_current_time()).date()
        filling = complete_filling(today)
        filling.answers["Q3"]["Tin"] = "Yes"
        await handle.execute_update(
            SurveyWorkflow.submit_upload, kit.upload(inp.survey_id, workbook(filling))
        )
        action = kit.client.get_workflow_handle_for(CorrectiveActionWorkflow.run, "capa-c-T2-T2-1")
        await until(lambda: bool(audit(kit, "action.opened")), "the action opened")
        # The time-skipping server never tells the survey (temporalio/sdk-java#2921): the survey still
        # counts the action open and signals it the new template's findings, which the server refuses.
        await action.terminate(reason="operator stopped a stuck action")
        again = kit.upload(inp.survey_id, workbook(filling), "cmrt-v2.xlsx")
        outcome = await handle.execute_update(SurveyWorkflow.submit_upload, again)
        assert outcome.stage == Stage.RISK_FOUND  # before: the refused signal failed the whole survey
        assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
        await handle.terminate(reason="end of test")


async def test_when_the_owner_address_is_refused_too_the_notice_is_recorded_and_the_case_goes_on(
    kit: Kit,
) -> None:
    kit.smtp.inbox.refused.update({"b2@supplier.test", "buyer@company.test"})
    inp, wid = await kit.survey("B2", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await until(lambda: len(audit(kit, "survey.email-bounced")) == 2, "both refusals recorded")
        await kit.env.sleep(DAY + dt.timedelta(hours=1))
        await stage_is(handle, Stage.REMINDED)
    notes = [after["note"] for _, after in audit(kit, "survey.email-bounced") if after]
    assert notes[0].startswith("the request email was refused")
    assert notes[1].startswith("the notice to the owner was refused too")
    assert kit.smtp.messages == []
