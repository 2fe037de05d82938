"""OutreachWorkflow: engage one smelter towards RMAP conformance, from the invitation letter through
follow-ups and staff notes until staff close it or a refresh shows it Active or Conformant."""

from __future__ import annotations

import datetime as dt

from temporalio import workflow

from models.refresh_messages import (
    FacilityStatus,
    OutreachInput,
    OutreachNote,
    OutreachRecord,
    OutreachSent,
    OutreachState,
    OutreachStep,
    RefreshActivity,
)
from workflows.policies import DATABASE, EMAIL, parse_duration

ENDING = {"conformant": "conformant", "cross-recognized": "conformant", "active": "active"}


def outreach_workflow_id(smelter_id: str) -> str:
    """The business key of a facility's outreach."""
    return f"outreach-{smelter_id}"


@workflow.defn
class OutreachWorkflow:
    """Letter, follow-ups on a cadence, notes; waits as "needs contact" while no one can be written to."""

    @workflow.init
    def __init__(self, inp: OutreachInput) -> None:
        self._inp = inp
        self._state = "started"
        self._letters = 0
        self._outcome: str | None = None
        self._status: str | None = None
        self._notes: list[OutreachNote] = []
        self._contact = False  # a contact was added since the last try
        self._events = 0

    @workflow.run
    async def run(self, inp: OutreachInput) -> OutreachState:
        """Write to the facility, follow up, and end with an outcome."""
        await self._record("outreach.started", note=inp.reason, actor=inp.started_by)
        every = parse_duration(inp.follow_up_every)
        next_at = workflow.now()
        while self._outcome is None:
            if self._letters <= inp.follow_ups and workflow.now() >= next_at and await self._send():
                next_at = workflow.now() + every
            timeout = None
            if self._letters == 0 and self._state != "needs-contact":
                self._state = "needs-contact"  # staff see it and import a contact
                await self._record("outreach.needs-contact")
            elif self._letters > inp.follow_ups:
                self._state = "waiting"  # every follow-up sent: staff note, close, or a refresh ends it
            elif self._letters:
                timeout = max(next_at - workflow.now(), dt.timedelta(seconds=1))
            try:
                await workflow.wait_condition(self._interrupted, timeout=timeout)
            except TimeoutError:
                pass
            await self._take_messages()
        self._state = "closed"
        await self._record("outreach.closed", outcome=self._outcome)
        return self.state()

    @workflow.query
    def state(self) -> OutreachState:
        """Where the outreach stands."""
        return OutreachState(
            smelter_id=self._inp.smelter_id,
            state=self._state,
            letters=self._letters,
            outcome=self._outcome,
            status=self._status,
        )

    @workflow.signal
    def note(self, note: OutreachNote) -> None:
        """A staff note; with an outcome it closes the outreach."""
        self._notes.append(note)

    @workflow.signal
    def facility_status(self, change: FacilityStatus) -> None:
        """From a registry refresh: the facility's status now; Active or Conformant ends the outreach."""
        self._status = change.status

    @workflow.signal
    def contact_added(self) -> None:
        """Staff imported a contact for the facility: a waiting letter goes out."""
        self._contact = True

    def _interrupted(self) -> bool:
        return bool(self._notes) or self._contact or self._ended()

    def _ended(self) -> bool:
        return self._status in ENDING and self._status in self._inp.ends_on

    async def _take_messages(self) -> None:
        while self._notes:
            note = self._notes.pop(0)
            await self._record("outreach.note", note=note.text, actor=note.actor)
            if note.outcome and self._outcome is None:
                self._outcome = note.outcome
        if self._status is not None and self._ended() and self._outcome is None:
            self._outcome = ENDING[self._status]
        self._contact = False

    async def _send(self) -> bool:
        """Send the letter (first) or the next follow-up; False when the facility has no contact."""
        step = "letter" if self._letters == 0 else f"follow-up-{self._letters}"
        ask = OutreachStep(
            smelter_id=self._inp.smelter_id,
            key=f"{workflow.info().workflow_id}/{step}",
            step=step,
            follow_ups=self._letters,
        )
        sent = OutreachSent.model_validate(
            await workflow.execute_activity(
                RefreshActivity.OUTREACH_STEP,
                ask,
                task_queue=self._inp.email_queue,
                start_to_close_timeout=EMAIL.timeout,
                retry_policy=EMAIL.retry,
            )
        )
        if not sent.sent:
            return False
        self._letters += 1
        self._state = "letter-sent" if self._letters == 1 else "following-up"
        await self._record(
            f"outreach.{'letter-sent' if step == 'letter' else 'follow-up'}", note=sent.to or ""
        )
        return True

    async def _record(
        self, event: str, *, note: str = "", actor: str = "system", outcome: str | None = None
    ) -> None:
        self._events += 1
        change = OutreachRecord(
            smelter_id=self._inp.smelter_id,
            key=f"{workflow.info().workflow_id}/{self._events}-{event}",
            event=event,
            state=self._state,
            actor=actor,
            note=note,
            outcome=outcome,
            letters=self._letters,
        )
        await workflow.execute_activity(
            RefreshActivity.RECORD_OUTREACH,
            change,
            start_to_close_timeout=DATABASE.timeout,
            retry_policy=DATABASE.retry,
        )
