"""Smelter outreach activities: start a facility's outreach when a refresh makes it a finding, send its
letters in the contact's language, record each step with its audit event."""

from __future__ import annotations

import datetime as dt
import itertools
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

import risk
from activities.blocking import Blocking
from activities.notices import NoticeKind, Notices
from i18n import N_, language_for, text, text_in
from models.assessment import AssessedRow, Assessment
from models.audit import AuditEvent
from models.base import utcnow
from models.outreach import Outreach, SmelterContact
from models.refresh import RegistryRefresh
from models.refresh_messages import (
    FacilityStatus,
    OutreachInput,
    OutreachRecord,
    OutreachSent,
    OutreachStep,
    RefreshActivity,
    RefreshResult,
)
from models.registry import RegistryFacility, RegistryStatus
from models.supplier import Supplier
from models.survey import Finding, Survey
from risk.registry import CID

OUTREACH_WORKFLOW = "OutreachWorkflow"
NOT_CONFORMANT = "smelter-not-conformant"
ENDING = ("conformant", "cross-recognized", "active")
OUTREACH = N_("RMAP outreach")  # the letters' footer, where a case email names its campaign
CONFORMANT = ("conformant", "cross-recognized")


def dependents(session: Session, smelter_id: str) -> list[str]:
    """Our suppliers whose current assessment names the facility, by name."""
    query = (
        select(Supplier.name)
        .join(Survey, Survey.supplier_id == Supplier.id)
        .join(Assessment, Assessment.survey_id == Survey.id)
        .join(AssessedRow, AssessedRow.assessment_id == Assessment.id)
        .where(Assessment.current.is_(True), AssessedRow.matched_id == smelter_id)
        .distinct()
    )
    return sorted(session.scalars(query))


def flagged(session: Session, smelter_ids: list[str]) -> set[str]:
    """The facilities that are a not-conformant finding on some case's current assessment."""
    query = (
        select(AssessedRow.matched_id, AssessedRow.codes)
        .join(Assessment, Assessment.id == AssessedRow.assessment_id)
        .where(Assessment.current.is_(True), AssessedRow.matched_id.in_(smelter_ids))
    )
    return {cid for cid, codes in session.execute(query) if cid and NOT_CONFORMANT in (codes or [])}


async def engage(client: Client, queue: str, inp: OutreachInput, again: bool = False) -> bool:
    """Start a facility's outreach unless it runs; a closed one starts again only when `again` (a new
    status), never because one more case names it. Returns True when one was started."""
    try:
        await client.start_workflow(
            OUTREACH_WORKFLOW,
            inp,
            id=f"outreach-{inp.smelter_id}",
            task_queue=queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE
            if again
            else WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        return False
    return True


def not_conformant_in(session: Session, file_id: int) -> list[str]:
    """The facilities an assessed file names that are a not-conformant finding."""
    query = (
        select(Finding.smelter_id)
        .where(Finding.file_id == file_id, Finding.code == NOT_CONFORMANT)
        .distinct()
    )
    return sorted(cid for cid in session.scalars(query) if cid and CID.match(cid))


def active_since(session: Session, before: dt.date) -> dict[str, dt.date]:
    """The declared facilities (on some case's current assessment) that have been Active without a break
    since a day on or before `before`, with that day."""
    named = (
        select(AssessedRow.matched_id)
        .join(Assessment, Assessment.id == AssessedRow.assessment_id)
        .where(Assessment.current.is_(True), AssessedRow.status == "active")
    )
    history: dict[str, list[RegistryStatus]] = {}
    query = (
        select(RegistryStatus)
        .where(RegistryStatus.smelter_id.in_(named))
        .order_by(RegistryStatus.as_of.desc(), RegistryStatus.id.desc())
    )
    for status in session.scalars(query):
        history.setdefault(status.smelter_id, []).append(status)
    found = {}
    for cid, statuses in history.items():
        run = list(itertools.takewhile(lambda s: s.status == "active", statuses))
        if run and run[-1].as_of <= before:
            found[cid] = run[-1].as_of
    return found


def _reason(refresh: RegistryRefresh, change: dict[str, Any]) -> str:
    return f"RMI list of {refresh.as_of}: {change['before'] or 'not listed'} -> {change['after']}"


class OutreachActivities:
    """Outreach steps; the session factory, the notices and the cadence are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        notices: Notices | None = None,
        follow_up_every: str = "30d",
        follow_ups: int = 3,
        executor: Executor | None = None,
        risk_config: Path | None = None,
        email_queue: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._notices = notices
        self._email_queue = email_queue  # where the outreach workflows send their letters
        self._every = follow_up_every
        self._follow_ups = follow_ups
        self._risk_config = risk_config  # active_outreach_days: Active this long without conformance
        self._blocking = Blocking(executor)

    @activity.defn(name=RefreshActivity.START_OUTREACH)
    async def start_outreach(self, result: RefreshResult) -> int:
        """Start the outreach of each facility the refresh made a finding; tell running ones a new status."""
        start, tell = await self._blocking(self.plan, result.refresh_id)
        client = activity.client()
        for inp, again in start:  # a status that changed again engages a facility again
            await engage(client, activity.info().task_queue, inp, again=again)
        for cid, status in tell:
            try:
                await client.get_workflow_handle(f"outreach-{cid}").signal("facility_status", status)
            except RPCError as exc:
                if exc.status != RPCStatusCode.NOT_FOUND:
                    raise
        return len(start)

    def input(self, smelter_id: str, reason: str, ends_on: tuple[str, ...] = ENDING) -> OutreachInput:
        """A facility's outreach with the configured cadence, ending on the given statuses."""
        return OutreachInput(
            smelter_id=smelter_id,
            follow_up_every=self._every,
            follow_ups=self._follow_ups,
            reason=reason,
            ends_on=list(ends_on),
            email_queue=self._email_queue,
        )

    def plan(
        self, refresh_id: int
    ) -> tuple[list[tuple[OutreachInput, bool]], list[tuple[str, FacilityStatus]]]:
        """The outreach to start and the running ones to tell, from a refresh's changes (blocking)."""
        with self._sessions() as session:
            refresh = session.get(RegistryRefresh, refresh_id)
            if refresh is None:
                return [], []
            changes = {c["smelter_id"]: c for c in refresh.facilities}
            bad = flagged(session, list(changes))
            open_ = set(session.scalars(select(Outreach.smelter_id).where(Outreach.state != "closed")))
            days = risk.load_risk_config(self._risk_config).active_outreach_days
            lingering = active_since(session, refresh.as_of - dt.timedelta(days=days))
        start = [(self.input(cid, _reason(refresh, changes[cid])), True) for cid in sorted(bad)]
        start += [  # engaged once: a closed outreach is not started again because it is still Active
            (self.input(cid, f"Active in RMAP since {since}, not yet conformant", CONFORMANT), False)
            for cid, since in sorted(lingering.items())
        ]
        tell = [
            (cid, FacilityStatus(status=c["after"], as_of=refresh.as_of))
            for cid, c in sorted(changes.items())
            if cid in open_ and c["after"] in ENDING
        ]
        return start, tell

    @activity.defn(name=RefreshActivity.OUTREACH_STEP)
    async def outreach_step(self, step: OutreachStep) -> OutreachSent:
        """Send the letter or a follow-up to the facility's contact; not sent when it has none."""
        found = await self._blocking(self.compose, step)
        if found is None or self._notices is None:
            return OutreachSent(sent=False)
        await self._notices.send(found)
        return OutreachSent(sent=True, to=", ".join(found.to))

    def compose(self, step: OutreachStep) -> Any:
        """The stored letter of a step (None without a contact), rendered in the contact's language."""
        if self._notices is None:
            return None
        with self._sessions() as session:
            contact = session.get(SmelterContact, step.smelter_id)
            if contact is None:
                return None
            facility = session.get(RegistryFacility, step.smelter_id)
            language, to = language_for(contact.language), [contact.email]
            context = {
                "name": contact.name or contact.email,
                "smelter": facility.name if facility else step.smelter_id,
                "smelter_id": step.smelter_id,
                "metal": text_in(language, "mineral", facility.metal) if facility else "",
                "suppliers": dependents(session, step.smelter_id),
                "follow_up": step.follow_ups,
                "rmap_url": "https://www.responsiblemineralsinitiative.org/responsible-minerals-assurance-process/",
                "campaign": text(language, OUTREACH),
                "template": step.smelter_id,
            }
        kind = NoticeKind.OUTREACH_LETTER if step.step == "letter" else NoticeKind.OUTREACH_FOLLOW_UP
        return self._notices.store(step.key, kind, language, to, context)

    @activity.defn(name=RefreshActivity.RECORD_OUTREACH)
    async def record_outreach(self, change: OutreachRecord) -> None:
        """Record an outreach change with its audit event, once per key."""
        await self._blocking(self.record, change)

    def record(self, change: OutreachRecord) -> None:
        """Write one change (blocking)."""
        with self._sessions.begin() as session:
            if session.scalar(select(AuditEvent.id).where(AuditEvent.idempotency_key == change.key)):
                return
            row = session.get(Outreach, change.smelter_id)
            if row is None:
                row = Outreach(
                    smelter_id=change.smelter_id,
                    workflow_id=f"outreach-{change.smelter_id}",
                    reason=change.note,
                )
                session.add(row)
            row.state, row.letters, row.updated_at = change.state, change.letters, utcnow()
            if change.event == "outreach.started":  # a facility engaged again
                row.outcome, row.closed_at, row.started_at = None, None, utcnow()
            if change.outcome:
                row.outcome, row.closed_at = change.outcome, utcnow()
            after: dict[str, Any] = {"state": change.state, "letters": change.letters}
            if change.note:
                after["note"] = change.note
            if change.outcome:
                after["outcome"] = change.outcome
            session.add(
                AuditEvent(
                    actor=change.actor,
                    action=change.event,
                    subject=f"outreach:{change.smelter_id}",
                    after=after,
                    idempotency_key=change.key,
                )
            )
