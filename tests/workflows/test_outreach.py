"""Smelter outreach under time-skipping: needs a contact first, then a letter and follow-ups on the
cadence, notes, and a close by staff with its outcome."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from refresh_kit import import_list, status_list
from sqlalchemy import select
from survey_kit import Kit, complete_filling, until, workbook
from temporalio.worker import Worker

from models.audit import AuditEvent
from models.enums import Stage
from models.messages import Cadence
from models.outreach import Outreach, SmelterContact
from models.refresh_messages import OutreachInput, OutreachNote
from worker.main import is_email
from workflows import OutreachWorkflow, SurveyWorkflow

DAY = dt.timedelta(days=1)


async def test_outreach_waits_for_a_contact_follows_up_and_closes_with_an_outcome(kit: Kit) -> None:
    kit.tracked.append("outreach-CID000002")
    async with kit.worker():
        handle = await kit.client.start_workflow(
            OutreachWorkflow.run,
            OutreachInput(smelter_id="CID000002", follow_up_every="10d", follow_ups=2, reason="by hand"),
            id="outreach-CID000002",
            task_queue=kit.task_queue,
        )
        await until(lambda: _state(kit) == "needs-contact", "waiting for a contact")
        await kit.env.sleep(40 * DAY)  # nothing goes out while no one can be written to
        assert kit.smtp.kinds() == []
        with kit.sessions.begin() as session:
            session.add(
                SmelterContact(
                    smelter_id="CID000002", name="Sn Sales", email="sn@smelter.test", language="zh"
                )
            )
        await handle.signal(OutreachWorkflow.contact_added)
        await until(lambda: kit.smtp.kinds() == ["outreach-letter"], "the letter")
        assert "RMAP" in kit.smtp.text(0) and kit.smtp.messages[0]["To"] == "sn@smelter.test"
        await handle.signal(OutreachWorkflow.note, OutreachNote(actor="staff@company.test", text="called"))
        await kit.env.sleep(25 * DAY)  # two follow-ups, 10 days apart, despite the note in between
        await until(lambda: kit.smtp.kinds().count("outreach-follow-up") == 2, "two follow-ups")
        await kit.env.sleep(30 * DAY)
        assert len(kit.smtp.kinds()) == 3  # no more after the configured follow-ups
        assert (await handle.query(OutreachWorkflow.state)).state == "waiting"
        await handle.signal(
            OutreachWorkflow.note,
            OutreachNote(actor="staff@company.test", text="joins", outcome="joined-rmap"),
        )
        ended = await handle.result()
    assert (ended.state, ended.outcome, ended.letters) == ("closed", "joined-rmap", 3)
    with kit.sessions() as session:
        events = list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.subject == "outreach:CID000002"))
        )
    assert events == [
        "outreach.started",
        "outreach.needs-contact",
        "outreach.letter-sent",
        "outreach.note",
        "outreach.follow-up",
        "outreach.follow-up",
        "outreach.note",
        "outreach.closed",
    ]


def _state(kit: Kit, smelter_id: str = "CID000002") -> str | None:
    with kit.sessions() as session:
        row = session.get(Outreach, smelter_id)
        return row.state if row else None


async def test_an_upload_naming_a_non_conformant_smelter_engages_it_once(kit: Kit, tmp_path: Path) -> None:
    today = (await kit.env.get_current_time()).date()
    listed = status_list(tmp_path, "list.csv", {"CID000001": "Non Conformant", "CID000002": "Conformant"})
    import_list(kit.sessions, listed, today - 10 * DAY)
    inp, wid = await kit.survey("U1", Cadence(reopen_window="30d"), due_in=10 * DAY)
    kit.tracked.append("outreach-CID000001")
    async with kit.worker():
        handle = await kit.start(inp, wid)
        upload = kit.upload(inp.survey_id, workbook(complete_filling(today)))
        assert (await handle.execute_update(SurveyWorkflow.submit_upload, upload)).stage == Stage.RISK_FOUND
        outreach = kit.client.get_workflow_handle_for(OutreachWorkflow.run, "outreach-CID000001")
        await until(lambda: _state(kit, "CID000001") == "needs-contact", "the facility's outreach")
        closing = OutreachNote(actor="staff@company.test", text="not our smelter", outcome="declined")
        await outreach.signal(OutreachWorkflow.note, closing)
        assert (await outreach.result()).outcome == "declined"
        again = kit.upload(inp.survey_id, workbook(complete_filling(today)), "cmrt-v2.xlsx")
        await handle.execute_update(SurveyWorkflow.submit_upload, again)  # names it again
    assert _state(kit, "CID000001") == "closed"  # staff's decision stands: one more case is no new status


async def test_an_outreach_letter_waits_for_the_rate_limited_email_worker(kit: Kit) -> None:
    email_queue = f"{kit.task_queue}-email"
    with kit.sessions.begin() as session:
        session.add(
            SmelterContact(smelter_id="CID000003", name="W Sales", email="w@smelter.test", language="en")
        )
    kit.tracked.append("outreach-CID000003")
    async with kit.worker():
        handle = await kit.client.start_workflow(
            OutreachWorkflow.run,
            OutreachInput(smelter_id="CID000003", reason="by hand", email_queue=email_queue),
            id="outreach-CID000003",
            task_queue=kit.task_queue,
        )
        await until(lambda: _state(kit, "CID000003") is not None, "the outreach recorded")
        await asyncio.sleep(1)
        assert kit.smtp.kinds() == []  # no worker serves the email queue yet: the letter waits there
        assert (await handle.query(OutreachWorkflow.state)).letters == 0
        emails = [fn for fn in kit.activities() if is_email(fn)]
        async with Worker(kit.client, task_queue=email_queue, activities=emails):
            await until(
                lambda: kit.smtp.kinds() == ["outreach-letter"], "the letter, sent by the email worker"
            )
    assert kit.smtp.messages[0]["To"] == "w@smelter.test"
