"""Campaign workflow under time-skipping: pages, continue-as-new, and no duplicates when started twice."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select
from survey_kit import Kit, add_supplier, make_campaign

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
