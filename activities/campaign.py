"""Campaign activity: start one page of survey workflows, idempotently, from the database."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy
from temporalio.common import WorkflowIDReusePolicy as Reuse
from temporalio.exceptions import WorkflowAlreadyStartedError

from models import search_attributes as sa
from models.campaign import Campaign
from models.enums import ActivityName
from models.messages import Cadence, PageResult, SurveyInput, SurveyPage
from models.supplier import Supplier
from models.survey import Survey

SURVEY_WORKFLOW = "SurveyWorkflow"


class CampaignActivities:
    """Starts survey workflows with the activity's client; dependencies are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        max_upload_bytes: int,
        reopen_window: str = "30d",
        concurrency: int = 50,
        search_attributes: bool = True,
        email_queue: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._max_upload_bytes = max_upload_bytes
        self._reopen_window = reopen_window
        self._concurrency = concurrency
        self._search_attributes = search_attributes
        self._email_queue = email_queue  # None: the surveys send email from their own queue

    @activity.defn(name=ActivityName.START_SURVEY_PAGE)
    async def start_survey_page(self, page: SurveyPage) -> PageResult:
        """Start the surveys after row `page.after`; a survey already started is left as it is."""
        rows = await asyncio.to_thread(self.page, page)
        client = activity.client()
        queue = activity.info().task_queue
        gate = asyncio.Semaphore(self._concurrency)
        started = 0

        async def start(workflow_id: str, inp: SurveyInput) -> None:
            nonlocal started
            async with gate:
                try:
                    await client.start_workflow(
                        SURVEY_WORKFLOW,
                        inp,
                        id=workflow_id,
                        task_queue=queue,
                        # Running: keep it. Finished: never run it again (no second request email).
                        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                        id_reuse_policy=Reuse.REJECT_DUPLICATE,
                        search_attributes=self._attributes(inp),
                    )
                except WorkflowAlreadyStartedError:
                    pass
                started += 1
                if started % 50 == 0:
                    activity.heartbeat(started)

        await asyncio.gather(*(start(wid, inp) for wid, inp in rows))
        last = await asyncio.to_thread(self.mark_started, page.campaign_id, page.after, rows)
        return PageResult(started=len(rows), last=last, done=len(rows) < page.limit)

    def page(self, page: SurveyPage) -> list[tuple[str, SurveyInput]]:
        """The workflow id and input of each survey in the page, in row order."""
        with self._sessions() as session:
            campaign = session.get(Campaign, page.campaign_id)
            if campaign is None:
                raise ValueError(f"campaign {page.campaign_id} does not exist")
            cadence = Cadence(
                reminder_every=campaign.reminder_every,
                reminders=campaign.reminders,
                escalation_after=campaign.escalation_after,
                reopen_window=self._reopen_window,
            )
            query = (
                select(Survey.id, Survey.workflow_id, Survey.due_at, Supplier.supplier_id)
                .join(Supplier, Supplier.id == Survey.supplier_id)
                .where(Survey.campaign_id == campaign.id, Survey.id > page.after)
                .order_by(Survey.id)
                .limit(page.limit)
            )
            return [
                (
                    workflow_id,
                    SurveyInput(
                        survey_id=survey_id,
                        campaign=campaign.name,
                        supplier_id=supplier_id,
                        due_at=due_at if due_at.tzinfo else due_at.replace(tzinfo=dt.UTC),  # SQLite
                        cadence=cadence,
                        max_upload_bytes=self._max_upload_bytes,
                        indexed=self._search_attributes,
                        email_queue=self._email_queue,
                    ),
                )
                for survey_id, workflow_id, due_at, supplier_id in session.execute(query)
            ]

    def mark_started(self, campaign_id: int, after: int, rows: Sequence[tuple[str, SurveyInput]]) -> int:
        """Record how many surveys of the campaign are started; returns the page's last row id."""
        last = rows[-1][1].survey_id if rows else after
        with self._sessions.begin() as session:
            campaign = session.get(Campaign, campaign_id, with_for_update=True)
            assert campaign is not None
            counted = select(func.count()).where(Survey.campaign_id == campaign_id, Survey.id <= last)
            campaign.surveys_started = session.scalar(counted) or 0
        return last

    def _attributes(self, inp: SurveyInput) -> TypedSearchAttributes:
        if not self._search_attributes:
            return TypedSearchAttributes.empty
        return TypedSearchAttributes(
            [
                SearchAttributePair(sa.CAMPAIGN, inp.campaign),
                SearchAttributePair(sa.SUPPLIER, inp.supplier_id),
            ]
        )
