"""CorrectiveActionWorkflow: one group of findings, from notice through follow-ups to a closing decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from models import search_attributes as sa
from models.enums import ActionStatus, ActivityName, Decision, EmailKind, Stage
from models.messages import (
    ActionChange,
    ActionDecision,
    ActionInput,
    ActionState,
    EmailRequest,
    FileRef,
    FindingsRemaining,
    SubmitEvidence,
)
from workflows.policies import DATABASE, EMAIL, ActivityPolicy, Plan, next_step

Item = ActionDecision | FindingsRemaining | SubmitEvidence
CLOSING = {Decision.ACCEPT: ActionStatus.ACCEPTED, Decision.WAIVE: ActionStatus.WAIVED}
EVENTS = {Decision.ACCEPT: "action.accepted", Decision.WAIVE: "action.waived"}


def action_workflow_id(campaign: str, supplier_id: str, n: int) -> str:
    """The business key of a corrective action's workflow."""
    return f"capa-{campaign}-{supplier_id}-{n}"


@workflow.defn
class CorrectiveActionWorkflow:
    """Notify, follow up on the survey's cadence, escalate when due; staff or a new template close it."""

    @workflow.init
    def __init__(self, inp: ActionInput) -> None:
        self._inp = inp
        self._plan = Plan.of(inp.cadence)
        self._status = ActionStatus.OPEN
        self._due = inp.due_at
        self._span = max(inp.due_at - workflow.now(), dt.timedelta(seconds=1))  # a rejection restarts it
        self._owner = inp.owner
        self._round = 0
        self._round_start = workflow.now()
        self._follow_ups = 0
        self._overdue = False
        self._remaining: int | None = None
        self._pending_evidence = 0
        self._queue: list[tuple[int, Item]] = []
        self._received = 0
        self._applied = 0
        self._events = 0

    @workflow.run
    async def run(self, inp: ActionInput) -> ActionState:
        """Run the action until it is closed."""
        await self._email(EmailKind.ACTION_REQUEST, "notice")
        await self._record("action.opened")
        while not self._status.closed:
            step = next_step(self._plan, self._round_start, self._due, self._follow_ups, True, self._stage())
            timeout = None if step.at is None else step.at - workflow.now()
            try:
                if timeout is None or timeout > dt.timedelta(0):
                    await workflow.wait_condition(lambda: bool(self._queue), timeout=timeout)
            except TimeoutError:
                pass
            if self._queue:
                await self._drain()
            elif step.action is not None:
                await self._advance(step.action)
        await self._drain()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.state()

    # --- messages --------------------------------------------------------------------------------------

    @workflow.query
    def state(self) -> ActionState:
        """The live state of the action."""
        return ActionState(
            status=self._status,
            due_at=self._due,
            owner=self._owner,
            round=self._round,
            follow_ups=self._follow_ups,
            escalated=self._overdue,
            remaining=self._remaining,
            evidence_pending=self._pending_evidence,
        )

    @workflow.signal
    def findings_remaining(self, change: FindingsRemaining) -> None:
        """From the survey: a new template was assessed; this many of the action's findings remain."""
        if not self._status.closed:
            self._enqueue(change)

    @workflow.update
    async def decide(self, decision: ActionDecision) -> ActionState:
        """A staff decision; returns the action's state once it is applied."""
        return await self._until_applied(self._enqueue(decision))

    @decide.validator
    def _validate_decision(self, decision: ActionDecision) -> None:
        if self._status.closed and decision.decision != Decision.NOTE:
            raise ValueError(f"this action is {self._status.value}; only a note can be added")
        if (
            decision.decision in (Decision.REJECT, Decision.WAIVE, Decision.NOTE)
            and not decision.reason.strip()
        ):
            word = {Decision.REJECT: "a reason", Decision.WAIVE: "a justification"}.get(
                decision.decision, "a text"
            )
            raise ValueError(f"to {decision.decision.value} an action, give {word}")
        if decision.decision == Decision.EXTEND and (
            decision.due_at is None or decision.due_at <= workflow.now()
        ):
            raise ValueError("to extend an action, give a new due date in the future")
        if decision.decision == Decision.ASSIGN and not (decision.owner or "").strip():
            raise ValueError("to assign an action, give the new owner")

    @workflow.update
    async def submit_evidence(self, evidence: SubmitEvidence) -> ActionState:
        """A document offered as evidence (letter, certificate), verified and kept for staff review."""
        ref = FileRef(
            survey_id=self._inp.survey_id,
            file_id=evidence.file_id,
            sha256=evidence.sha256,
            size=evidence.size,
            max_bytes=self._inp.max_upload_bytes,
        )
        try:
            await self._call(ActivityName.VERIFY_UPLOAD, ref, DATABASE)
        except ActivityError as err:
            cause = err.cause
            reason = cause.message if isinstance(cause, ApplicationError) else str(cause or err)
            raise ApplicationError(reason, type="FileRejected") from None
        return await self._until_applied(self._enqueue(evidence))

    @submit_evidence.validator
    def _validate_evidence(self, evidence: SubmitEvidence) -> None:
        if self._status.closed:
            raise ValueError(f"this action is {self._status.value}; it takes no more evidence")
        if evidence.size == 0:
            raise ValueError("the file is empty")

    def _enqueue(self, item: Item) -> int:
        self._received += 1
        self._queue.append((self._received, item))
        return self._received

    async def _until_applied(self, seq: int) -> ActionState:
        await workflow.wait_condition(lambda: self._applied >= seq)
        return self.state()

    # --- the action ------------------------------------------------------------------------------------

    def _stage(self) -> Stage:
        return Stage.OVERDUE if self._overdue else Stage.REQUESTED

    async def _advance(self, step: Stage) -> None:
        if step == Stage.REMINDED:
            self._follow_ups += 1
            await self._email(EmailKind.ACTION_FOLLOW_UP, f"follow-up-{self._follow_ups}")
            await self._record("action.follow-up")
        elif step == Stage.OVERDUE:
            self._overdue = True
            await self._email(EmailKind.ACTION_ESCALATION, f"escalation-{self._events}")
            await self._record("action.escalated")

    async def _drain(self) -> None:
        while self._queue:
            seq, item = self._queue.pop(0)
            if isinstance(item, FindingsRemaining):
                await self._take_template(item)
            elif isinstance(item, SubmitEvidence):
                self._pending_evidence += 1
                await self._record(
                    "action.evidence-received",
                    actor=item.submitted_by,
                    note=item.note,
                    file_id=item.file_id,
                    evidence="document",
                )
            else:
                await self._decide(item)
            self._applied = seq

    async def _take_template(self, change: FindingsRemaining) -> None:
        if self._status.closed:
            return
        self._remaining = change.remaining
        if change.remaining:
            note = f"{change.remaining} finding(s) remain in the new template"
            await self._record(
                "action.findings-remain", note=note, file_id=change.file_id, evidence="template"
            )
            return
        self._status = ActionStatus.RESOLVED
        await self._record("action.resolved", file_id=change.file_id, evidence="template")
        await self._email(EmailKind.ACTION_CLOSED, "closed")

    async def _decide(self, d: ActionDecision) -> None:
        if self._status.closed and d.decision != Decision.NOTE:
            return  # a second closing decision accepted in the same workflow task
        if d.decision in CLOSING:
            self._status, self._pending_evidence = CLOSING[d.decision], 0
            await self._record(EVENTS[d.decision], d, review="accepted")
            await self._email(EmailKind.ACTION_CLOSED, "closed", reason=d.reason)
        elif d.decision == Decision.REJECT:
            self._round, self._round_start = self._round + 1, workflow.now()
            self._follow_ups, self._overdue, self._pending_evidence = 0, False, 0
            self._status, self._due = ActionStatus.REJECTED, workflow.now() + self._span
            await self._record("action.rejected", d, review="rejected")
            await self._email(EmailKind.ACTION_REJECTED, "rejected", reason=d.reason)
        elif d.decision == Decision.EXTEND:
            assert d.due_at is not None
            self._due, self._overdue = d.due_at, False
            await self._record("action.extended", d)
        elif d.decision == Decision.ASSIGN:
            self._owner = d.owner
            await self._record("action.assigned", d)
        else:
            await self._record("action.note", d)

    # --- activities ------------------------------------------------------------------------------------

    async def _email(self, kind: EmailKind, step: str, reason: str = "") -> None:
        email = EmailRequest(
            survey_id=self._inp.survey_id,
            key=f"{workflow.info().workflow_id}/r{self._round}/{step}",
            kind=kind,
            due_at=self._due,
            reminders=self._follow_ups,
            action_id=self._inp.action_id,
            reason=reason,
        )
        await self._call(ActivityName.SEND_EMAIL, email, EMAIL, queue=self._inp.email_queue)

    async def _record(
        self,
        event: str,
        decision: ActionDecision | None = None,
        *,
        actor: str = "system",
        note: str = "",
        file_id: int | None = None,
        evidence: str | None = None,
        review: str | None = None,
    ) -> None:
        self._events += 1
        change = ActionChange(
            action_id=self._inp.action_id,
            key=f"{workflow.info().workflow_id}/{self._events}-{event}",
            event=event,
            actor=decision.actor if decision else actor,
            status=self._status,
            due_at=self._due,
            owner=self._owner,
            follow_ups=self._follow_ups,
            note=decision.reason if decision else note,
            file_id=file_id,
            evidence=evidence,
            review=review,
        )
        await self._call(ActivityName.RECORD_ACTION, change, DATABASE)
        if self._inp.indexed:
            workflow.upsert_search_attributes(
                [sa.STAGE.value_set(f"action-{self._status.value}"), sa.DUE_AT.value_set(self._due)]
            )

    async def _call(
        self, name: ActivityName, arg: Any, policy: ActivityPolicy, queue: str | None = None
    ) -> Any:
        """Run an activity; `queue` None means the workflow's own task queue."""
        return await workflow.execute_activity(
            name.value,
            arg,
            task_queue=queue,
            start_to_close_timeout=policy.timeout,
            retry_policy=policy.retry,
        )
