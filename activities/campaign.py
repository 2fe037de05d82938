"""Campaign activity: start one page of survey workflows, idempotently, from the database, at the pace the
workers absorb them."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy
from temporalio.common import WorkflowIDReusePolicy as Reuse
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from activities.blocking import Blocking
from activities.email import EmailActivities
from activities.errors import missing_row
from activities.pace import Pace
from activities.requests import Requests
from models import search_attributes as sa
from models.campaign import Campaign
from models.enums import ActivityName, Stage
from models.messages import Cadence, PageResult, SurveyInput, SurveyPage
from models.supplier import Supplier
from models.survey import Survey

SURVEY_WORKFLOW = "SurveyWorkflow"
PACE_TARGET = 0.5  # seconds a started survey may wait for its first step before the campaign slows down
PACE_POLL = 0.05  # seconds between two looks at which started surveys still wait for their first step
FIRST_TASK_EVENTS = 3  # started, task scheduled, task started: a fourth event means the task completed
PACE_PATIENCE = 10.0


class CampaignActivities:
    """Starts survey workflows with the activity's client; dependencies are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        max_upload_bytes: int,
        reopen_window: str = "30d",
        concurrency: int = 50,
        in_flight: int = 40,
        search_attributes: bool = True,
        email_queue: str | None = None,
        executor: Executor | None = None,
        email: EmailActivities | None = None,
        email_per_second: float = 0,
    ) -> None:
        self._sessions = sessions
        self._blocking = Blocking(executor)
        # With the email activities at hand, requests are recorded a batch at a time, and sent so when
        # this worker sends email (email_per_second > 0); else each survey records and sends its own.
        self._requests = (
            None if email is None else Requests(sessions, email, self._blocking, email_per_second)
        )
        self._max_upload_bytes = max_upload_bytes
        self._reopen_window = reopen_window
        self._concurrency = concurrency
        self._in_flight = in_flight  # surveys started and waiting for their first step, at most
        self._search_attributes = search_attributes
        self._email_queue = email_queue  # None: the surveys send email from their own queue

    @activity.defn(name=ActivityName.START_SURVEY_PAGE)
    async def start_survey_page(self, page: SurveyPage) -> PageResult:
        """Start the surveys after row `page.after`; a survey already started is left as it is.

        Surveys are started a batch at a time, as many waiting for their first step as the workers
        absorb within PACE_TARGET (at most `in_flight`), so the task queue never holds a backlog that a
        supplier's upload or a staff decision would wait behind.
        """
        rows = await self._blocking(self.page, page)
        client = activity.client()
        queue = activity.info().task_queue
        gate = asyncio.Semaphore(self._concurrency)

        async def start(workflow_id: str, inp: SurveyInput) -> None:
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

        async def announce(batch: list[tuple[str, SurveyInput]]) -> list[tuple[str, SurveyInput]]:
            if self._requests is None:
                return batch
            sent = await self._requests.announce(batch)
            return [
                (wid, inp.model_copy(update={"requested": True, "request_sent": inp.survey_id in sent}))
                for wid, inp in batch
            ]

        pace = Pace(self._in_flight, PACE_TARGET)
        ids = {inp.survey_id: wid for wid, inp in rows}
        details = activity.info().heartbeat_details  # a retried attempt resumes after what it started
        done = int(details[0]) if details else 0
        ready: list[tuple[str, SurveyInput]] = []  # recorded (and emailed), not started yet
        progress = time.monotonic()
        while done < len(rows):
            waiting = pace.waiting()
            pending = await first_task_pending(client, pace.started_ids(), ids)
            now = time.monotonic()
            room = pace.room(pending, now)
            if pace.waiting() < waiting:
                progress = now
            if room == 0 and now - progress > PACE_PATIENCE:  # nothing moves (database away?): one more
                room, progress = 1, now
            ahead = done + len(ready)
            if room == 0:
                # While the server takes the last batch, the next one's requests are recorded and sent.
                wanted = min(int(pace.window) - len(ready), len(rows) - ahead)
                if wanted > 0:
                    ready += await announce(rows[ahead : ahead + wanted])
                else:
                    activity.heartbeat(done)
                    await asyncio.sleep(PACE_POLL)
                continue
            if len(ready) < room:
                ready += await announce(rows[ahead : ahead + room - len(ready)])
            batch, ready = ready[:room], ready[room:]
            await asyncio.gather(*(start(wid, inp) for wid, inp in batch))
            pace.started([inp.survey_id for _, inp in batch], time.monotonic())
            done += len(batch)
            activity.heartbeat(done)
        last = await self._blocking(self.mark_started, page.campaign_id, page.after, rows)
        return PageResult(started=len(rows), last=last, done=len(rows) < page.limit)

    def page(self, page: SurveyPage) -> list[tuple[str, SurveyInput]]:
        """The workflow id and input of each survey in the page, in row order."""
        with self._sessions() as session:
            campaign = session.get(Campaign, page.campaign_id)
            if campaign is None:
                raise missing_row(f"campaign {page.campaign_id}")
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
        pairs: list[SearchAttributePair[Any]] = [
            SearchAttributePair(sa.CAMPAIGN, inp.campaign),
            SearchAttributePair(sa.SUPPLIER, inp.supplier_id),
        ]
        if inp.requested:  # what the workflow's first record would have set
            pairs += [
                SearchAttributePair(sa.STAGE, Stage.REQUESTED.value),
                SearchAttributePair(sa.DUE_AT, inp.due_at),
                SearchAttributePair(sa.REMINDERS, 0),
            ]
        return TypedSearchAttributes(pairs)


async def first_task_pending(client: Client, started: list[int], ids: dict[int, str]) -> set[int]:
    """Which of the surveys started (oldest first) have not had their first workflow task yet.

    Tasks are taken about in the order they were queued, so this asks the server about the newest and the
    oldest (and walks on from the oldest), not about every survey.
    """
    if not started or await _first_task_done(client, ids[started[-1]]):
        return set()
    for n, survey in enumerate(started[:-1]):
        if not await _first_task_done(client, ids[survey]):
            return set(started[n:])
    return {started[-1]}


async def _first_task_done(client: Client, workflow_id: str) -> bool:
    try:
        described = await client.get_workflow_handle(workflow_id).describe()
    except RPCError:
        return True  # not found or unreachable: waiting on it would stall the campaign
    return described.history_length > FIRST_TASK_EVENTS
