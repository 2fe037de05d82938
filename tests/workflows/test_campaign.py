"""Campaign workflow under time-skipping: pages, continue-as-new, and no duplicates when started twice."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select
from survey_kit import MAX_BYTES, Kit, add_supplier, make_campaign, until

from activities.campaign import FIRST_TASK_EVENTS, CampaignActivities
from activities.email import EmailActivities
from activities.smtp import SmtpConfig
from models.audit import AuditEvent
from models.campaign import Campaign
from models.enums import CampaignStatus, Stage
from models.messages import Cadence, CampaignInput
from models.outbox import EmailMessage
from models.survey import Survey
from workflows import CampaignWorkflow, SurveyWorkflow, campaign_workflow_id

SUPPLIERS = [f"P{i}" for i in range(5)]


async def requested(kit: Kit) -> int:
    """Surveys whose request email went out, once every started survey has had its first turn."""
    for _ in range(200):
        with kit.sessions() as session:
            done = session.scalar(select(func.count()).where(Survey.stage == Stage.REQUESTED)) or 0
        if done == len(SUPPLIERS):
            break
        await asyncio.sleep(0.05)
    return done


async def test_campaign_starts_every_survey_in_pages_once_even_when_started_twice(kit: Kit) -> None:
    now = await kit.env.get_current_time()
    for supplier_id in SUPPLIERS:
        add_supplier(kit.sessions, supplier_id)
    cadence = Cadence(reminder_every="10d", reminders=1, escalation_after="5d")
    campaign_id = make_campaign(kit.sessions, "y2027", SUPPLIERS, now + dt.timedelta(days=60), cadence)
    inp = CampaignInput(campaign_id=campaign_id, name="y2027", page_size=2)
    kit.tracked += [campaign_workflow_id("y2027"), "survey-y2027-P3"]
    async with kit.worker():
        first = await kit.client.execute_workflow(
            CampaignWorkflow.run, inp, id=campaign_workflow_id("y2027"), task_queue=kit.task_queue
        )
        assert (first.started, first.pages) == (5, 3)  # one page per run: two continue-as-new
        assert await requested(kit) == 5
        again = await kit.client.execute_workflow(
            CampaignWorkflow.run, inp, id=campaign_workflow_id("y2027"), task_queue=kit.task_queue
        )
        assert again.started == 5
        state = await kit.client.get_workflow_handle("survey-y2027-P3").query(SurveyWorkflow.state)
        assert state.stage == Stage.REQUESTED
    assert kit.smtp.kinds() == ["request"] * 5
    assert sorted(str(m["To"]) for m in kit.smtp.messages) == [f"p{i}@supplier.test" for i in range(5)]
    with kit.sessions() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        assert (campaign.status, campaign.surveys_started) == (CampaignStatus.STARTED, 5)
        assert session.scalar(select(func.count()).select_from(EmailMessage)) == 5


async def first_tasks_done(kit: Kit, workflow_ids: list[str]) -> bool:
    """Whether each workflow's first task has run (before it, time skipped would not count for its timers)."""
    described = [await kit.client.get_workflow_handle(w).describe() for w in workflow_ids]
    return all(d.history_length > FIRST_TASK_EVENTS for d in described)


@pytest.mark.parametrize("per_second", [1000.0, 0.0], ids=["sends", "no-email-role"])
async def test_a_campaign_records_requests_in_batches_and_its_surveys_carry_on(
    kit: Kit, per_second: float
) -> None:
    """A worker that sends email sends the batch's requests itself; one without leaves them to the surveys."""
    now = await kit.env.get_current_time()
    for supplier_id in SUPPLIERS:
        add_supplier(kit.sessions, supplier_id)
    cadence = Cadence(reminder_every="10d", reminders=1, escalation_after="5d")
    campaign_id = make_campaign(kit.sessions, "y2028", SUPPLIERS, now + dt.timedelta(days=60), cadence)
    inp = CampaignInput(campaign_id=campaign_id, name="y2028", page_size=2)
    email = EmailActivities(
        kit.sessions, SmtpConfig("127.0.0.1", kit.smtp.port, "m@company.test"), kit.links()
    )
    campaign = CampaignActivities(
        kit.sessions,
        max_upload_bytes=MAX_BYTES,
        search_attributes=False,
        email=email,
        email_per_second=per_second,
    )
    kit.tracked += ["survey-y2028-P3"]
    async with kit.worker(campaign.start_survey_page):
        # Waiting on a result unlocks time skipping until the lock after it: the surveys' timers
        # would fire in that window, so the campaign runs in real time (it has no timers).
        with kit.env.auto_time_skipping_disabled():
            result = await kit.client.execute_workflow(
                CampaignWorkflow.run, inp, id=campaign_workflow_id("y2028"), task_queue=kit.task_queue
            )
        assert result.started == 5
        await until(lambda: len(kit.smtp.messages) == 5, "the five requests")
        started = [f"survey-y2028-{s}" for s in SUPPLIERS]
        await until(lambda: first_tasks_done(kit, started), "every survey's first task (its timers set)")
        state = await kit.client.get_workflow_handle("survey-y2028-P3").query(SurveyWorkflow.state)
        assert state.stage == Stage.REQUESTED
        await kit.env.sleep(dt.timedelta(days=11))  # the surveys' own cadence: a reminder each
        await until(lambda: len(kit.smtp.messages) == 10, "the five reminders")
    assert sorted(kit.smtp.kinds()) == ["reminder"] * 5 + ["request"] * 5
    with kit.sessions() as session:
        rows = list(session.scalars(select(EmailMessage).where(EmailMessage.kind == "request")))
        events = session.scalar(select(func.count()).where(AuditEvent.action == "survey.requested"))
    assert len(rows) == 5 and all(r.sent_at is not None and r.attempts == 1 for r in rows) and events == 5
