"""Staff pause a case's reminders (a campaign pauses all of its cases) and resume them later."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from survey_kit import Kit, survey_of

from models.audit import AuditEvent
from models.enums import Stage
from models.messages import Cadence, CloseCase, HoldReminders, Reopen
from workflows import SurveyWorkflow

DAY = dt.timedelta(days=1)
CADENCE = Cadence(reminder_every="2d", reminders=2, escalation_after="2d", reopen_window="1d")
STAFF = "analyst@company.test"


async def test_paused_reminders_wait_and_resume_where_the_cadence_stopped(kit: Kit) -> None:
    inp, wid = await kit.survey("P1", CADENCE, due_in=30 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await kit.env.sleep(3 * DAY)  # the first reminder went out on day 2
        assert kit.smtp.kinds() == ["request", "reminder"]
        await handle.signal(SurveyWorkflow.pause_reminders, HoldReminders(actor=STAFF, reason="year-end"))
        await handle.signal(SurveyWorkflow.pause_reminders, HoldReminders(actor=STAFF))  # already paused
        await kit.env.sleep(10 * DAY)  # day 13: without the pause, reminder 2 (day 4) and escalation (day 6)
        assert kit.smtp.kinds() == ["request", "reminder"]
        state = await handle.query(SurveyWorkflow.state)
        assert (state.stage, state.reminders_sent, state.escalated) == (Stage.REMINDED, 1, False)

        await handle.signal(SurveyWorkflow.resume_reminders, HoldReminders(actor=STAFF))
        await kit.env.sleep(DAY / 2)  # the second reminder was 1 day away when paused: not yet
        assert kit.smtp.kinds() == ["request", "reminder"]
        await kit.env.sleep(DAY)
        assert kit.smtp.kinds() == ["request", "reminder", "reminder"]
        await kit.env.sleep(2 * DAY)
        assert kit.smtp.kinds() == ["request", "reminder", "reminder", "escalation"]
        assert survey_of(kit.sessions, wid).stage == Stage.ESCALATED
        await handle.signal(SurveyWorkflow.resume_reminders, HoldReminders(actor=STAFF))  # not paused: no-op
        await kit.env.sleep(DAY)
    with kit.sessions() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.actor, AuditEvent.after)
            .where(AuditEvent.action.like("survey.reminders-%"))
            .order_by(AuditEvent.id)
        ).all()
    assert [(action, actor) for action, actor, _ in events] == [
        ("survey.reminders-paused", STAFF),
        ("survey.reminders-resumed", STAFF),
    ]
    assert events[0].after["note"] == "year-end"


async def test_a_pause_also_holds_the_overdue_date_until_resumed(kit: Kit) -> None:
    inp, wid = await kit.survey("P2", CADENCE, due_in=5 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await handle.signal(SurveyWorkflow.pause_reminders, HoldReminders(actor=STAFF))
        await kit.env.sleep(8 * DAY)  # past the due date
        state = await handle.query(SurveyWorkflow.state)
        assert state.stage == Stage.REQUESTED and kit.smtp.kinds() == ["request"]
        await handle.signal(SurveyWorkflow.resume_reminders, HoldReminders(actor=STAFF))
        await kit.env.sleep(3 * DAY)  # escalation (no room for reminders before the due date), then overdue
        assert kit.smtp.kinds() == ["request", "escalation"]
        assert (await handle.query(SurveyWorkflow.state)).stage == Stage.OVERDUE


async def test_a_finished_case_keeps_the_pause_or_the_resume_when_staff_reopen_it(kit: Kit) -> None:
    inp, wid = await kit.survey("P3", CADENCE, due_in=30 * DAY)
    async with kit.worker():
        handle = await kit.start(inp, wid)
        await handle.signal(SurveyWorkflow.pause_reminders, HoldReminders(actor=STAFF))
        await handle.signal(SurveyWorkflow.close, CloseCase(actor=STAFF, reason="left"))
        await kit.env.sleep(DAY / 4)
        await handle.signal(SurveyWorkflow.reopen, Reopen(actor=STAFF))
        await kit.env.sleep(5 * DAY)  # reminders every 2 days, had they not been paused
        assert kit.smtp.kinds() == ["request", "request"]

        await handle.signal(SurveyWorkflow.close, CloseCase(actor=STAFF, reason="left again"))
        await kit.env.sleep(DAY / 4)
        assert (await handle.query(SurveyWorkflow.state)).stage == Stage.CLOSED
        await handle.signal(SurveyWorkflow.resume_reminders, HoldReminders(actor=STAFF))  # taken while closed
        await handle.signal(SurveyWorkflow.reopen, Reopen(actor=STAFF))
        await kit.env.sleep(2 * DAY + DAY / 4)
        assert kit.smtp.kinds() == ["request", "request", "request", "reminder"]
