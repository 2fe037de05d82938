"""Survey waiting paths under time-skipping: reminders, escalation, overdue, late upload, staff signals."""

from __future__ import annotations

import dataclasses
import datetime as dt

from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from survey_kit import Kit, SmtpSink, complete_filling, free_port, survey_of, until, workbook

from models.audit import AuditEvent
from models.enums import CheckStatus, Stage
from models.messages import Cadence, Exempt, ExtendDue, SurveyState
from models.outbox import EmailMessage
from workflows import SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="1d", reminders=2, escalation_after="1d", reopen_window="1d")


async def test_silent_supplier_is_reminded_escalated_then_overdue_and_a_late_upload_is_accepted(
    kit: Kit,
) -> None:
    inp, wid = await kit.survey("S1", CADENCE, due_in=10 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await kit.env.sleep(5 * DAY)
        state = await handle.query(SurveyWorkflow.state)
        assert (state.stage, state.reminders_sent, state.escalated) == (Stage.ESCALATED, 2, True)
        assert kit.smtp.kinds() == ["request", "reminder", "reminder", "escalation"]
        escalation = kit.smtp.messages[3]
        assert "buyer@company.test" in str(escalation["Cc"]) and "s1@supplier.test" in str(escalation["To"])
        assert "/upload/" in kit.smtp.text(0) and "Reminder 2" in str(kit.smtp.messages[2]["Subject"])

        await kit.env.sleep(6 * DAY)  # past the due date
        assert (await handle.query(SurveyWorkflow.state)).stage == Stage.OVERDUE
        assert survey_of(kit.sessions, wid).stage == Stage.OVERDUE

        today = (await kit.env.get_current_time()).date()
        upload = kit.upload(inp.survey_id, workbook(complete_filling(today)))
        outcome = await handle.execute_update(SurveyWorkflow.submit_upload, upload)
        assert (outcome.status, outcome.issue_count, outcome.stage) == (
            CheckStatus.COMPLETE,
            0,
            Stage.ACCEPTED,
        )
        result = await handle.result()
    assert isinstance(result, SurveyState) and result.stage == outcome.stage
    assert kit.smtp.kinds()[-1] == "accepted"
    with kit.sessions() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert [a for a in actions if a.startswith("survey.")] == [
        "survey.requested",
        "survey.reminded",
        "survey.reminded",
        "survey.escalated",
        "survey.overdue",
        "survey.upload-received",
        "survey.accepted",
    ]


async def test_extend_moves_the_overdue_date_and_exempt_ends_the_case(kit: Kit) -> None:
    inp, wid = await kit.survey("S2", CADENCE, due_in=4 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await kit.env.sleep(2 * DAY + dt.timedelta(hours=12))
        new_due = inp.due_at + 5 * DAY
        await handle.signal(SurveyWorkflow.extend_due, ExtendDue(due_at=new_due, actor="staff@company.test"))
        await kit.env.sleep(3 * DAY)  # past the old due date, before the new one
        state = await handle.query(SurveyWorkflow.state)
        assert state.stage == Stage.ESCALATED and state.due_at == new_due
        await kit.env.sleep(4 * DAY)  # past the new due date (day 9)
        assert (await handle.query(SurveyWorkflow.state)).stage == Stage.OVERDUE

        await handle.signal(
            SurveyWorkflow.exempt, Exempt(reason="no 3TG in parts", actor="staff@company.test")
        )
        result = await handle.result()
    assert (result.stage, result.exempt_reason) == (Stage.EXEMPTED, "no 3TG in parts")
    row = survey_of(kit.sessions, wid)
    assert (row.stage, row.exempt_reason, row.due_at.date()) == (
        Stage.EXEMPTED,
        "no 3TG in parts",
        new_due.date(),
    )
    with kit.sessions() as session:
        extended = session.scalar(
            select(func.count()).where(
                AuditEvent.action == "survey.due-extended", AuditEvent.actor == "staff@company.test"
            )
        )
    assert extended == 1
    assert kit.smtp.kinds() == ["request", "reminder", "reminder", "escalation"]  # no email on exemption


async def test_a_dead_mail_server_does_not_hold_the_case_and_the_request_is_sent_once_when_back(
    kit: Kit,
) -> None:
    down = dataclasses.replace(kit, smtp=SmtpSink(free_port()))  # nothing listens there yet
    inp, wid = await down.survey("S3", CADENCE, due_in=10 * DAY)
    async with down.worker():
        handle = await down.start(inp, wid)
        await down.env.sleep(dt.timedelta(minutes=5))
        assert (await handle.query(SurveyWorkflow.state)).stage == Stage.REQUESTED  # not held by the relay
        assert survey_of(down.sessions, wid).stage == Stage.REQUESTED
        with down.sessions() as session:
            row = session.scalars(select(EmailMessage)).one()
        assert row.sent_at is None and row.attempts >= 2 and row.last_error
        controller = Controller(down.smtp.inbox, hostname="127.0.0.1", port=down.smtp.port)
        controller.start()
        try:
            await down.env.sleep(dt.timedelta(minutes=30))  # longer than the longest retry interval
            await until(lambda: down.smtp.kinds() == ["request"], "the request once the relay is back")
        finally:
            controller.stop()
    with down.sessions() as session:
        assert session.scalars(select(EmailMessage)).one().sent_at is not None
