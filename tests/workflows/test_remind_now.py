"""Remind now (the console's bulk remind): a reminder at once while the case waits, the stage and the
cadence's own reminders left as they were; ignored once the case no longer waits for the supplier."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from survey_kit import Kit, until

from models.audit import AuditEvent
from models.enums import Stage
from models.messages import Cadence, Exempt, RemindNow
from workflows import SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="3d", reminders=1, escalation_after="3d", reopen_window="1d")


async def test_remind_now_sends_a_reminder_at_once_and_keeps_the_cadence(kit: Kit) -> None:
    inp, wid = await kit.survey("N1", CADENCE, due_in=20 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await until(lambda: kit.smtp.kinds() == ["request"], "the request")
        await handle.signal(SurveyWorkflow.remind_now, RemindNow(actor="staff@company.test"))
        await until(lambda: kit.smtp.kinds() == ["request", "reminder"], "the reminder asked for now")
        state = await handle.query(SurveyWorkflow.state)
        assert (state.stage, state.reminders_sent) == (Stage.REQUESTED, 0)  # as the cadence left them
        await kit.env.sleep(3 * DAY + dt.timedelta(hours=1))  # the cadence's own reminder, on time
        await until(lambda: kit.smtp.kinds() == ["request", "reminder", "reminder"], "the planned reminder")
        await handle.signal(
            SurveyWorkflow.exempt, Exempt(reason="left the supply chain", actor="staff@x.test")
        )
        await until(lambda: kit.smtp.kinds() == ["request", "reminder", "reminder"], "nothing more")
        await handle.signal(SurveyWorkflow.remind_now, RemindNow(actor="staff@company.test"))
        result = await handle.result()
    assert result.stage == Stage.EXEMPTED
    assert kit.smtp.kinds() == ["request", "reminder", "reminder"]  # a finished case is not reminded
    with kit.sessions() as session:
        asked = session.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "survey.reminded-now")
        ).all()
    assert asked == ["staff@company.test"]
