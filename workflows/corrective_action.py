"""CorrectiveActionWorkflow: one group of findings, from notice through follow-ups to a closing decision."""

from __future__ import annotations

import asyncio
import datetime as dt

from temporalio import workflow
from temporalio.exceptions import (
    ActivityError,
    ApplicationError,
    CancelledError,
    ChildWorkflowError,
    TerminatedError,
)
from temporalio.exceptions import TimeoutError as RunTimeout

from models import search_attributes as sa
from models.enums import ActionStatus, ActivityName, Decision, EmailKind, Stage
from models.messages import (
    ActionChange,
    ActionDecision,
    ActionInput,
    ActionState,
    ContactChanged,
    EmailRequest,
    FileRef,
    FindingsRemaining,
    SubmitEvidence,
)
from workflows.outbox import EMAIL_APART, Outbox, reason_of, record, run_activity
from workflows.policies import DATABASE, Plan, next_step

Item = ActionDecision | FindingsRemaining | SubmitEvidence
CLOSING = {Decision.ACCEPT: ActionStatus.ACCEPTED, Decision.WAIVE: ActionStatus.WAIVED}
EVENTS = {Decision.ACCEPT: "action.accepted", Decision.WAIVE: "action.waived"}
# Decisions that need words for the audit trail: why it is enough, why not, why it is waived.
NEEDS_TEXT = {
    Decision.ACCEPT: "a reason",
    Decision.REJECT: "a reason",
    Decision.WAIVE: "a justification",
    Decision.NOTE: "a text",
}


def action_workflow_id(campaign: str, supplier_id: str, n: int) -> str:
    """The business key of a corrective action's workflow."""
    return f"capa-{campaign}-{supplier_id}-{n}"


def ended_by(failure: BaseException | None) -> str:
    """Why an action's workflow ended without a decision, in words for its timeline."""
    cause = failure.cause if isinstance(failure, ChildWorkflowError) else failure
    if isinstance(cause, TerminatedError):
        return "its workflow was terminated"
    if isinstance(cause, RunTimeout):
        return "its workflow timed out"
    if isinstance(cause, CancelledError) or failure is None:
        return "its workflow was cancelled"
    return f"its workflow failed ({cause})"


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
        self._refused: dict[int, str] = {}  # messages taken but refused when their turn came
        self._events = 0
        self._outbox = Outbox(inp.email_queue, self._email_not_sent)
        self._recording = asyncio.Lock()

    @workflow.run
    async def run(self, inp: ActionInput) -> ActionState:
        """Run the action until it is closed and every message taken is applied."""
        await self._announce(self._email(EmailKind.ACTION_REQUEST, "notice"), "action.opened")
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
        while True:  # a note, or a decision that lost the race, may still come in while handlers finish
            await self._drain()
            await workflow.wait_condition(
                lambda: bool(self._queue) or (self._outbox.idle() and workflow.all_handlers_finished())
            )
            if not self._queue:
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
            bounced=self._outbox.bounced.kind if self._outbox.bounced else None,
        )

    @workflow.signal
    def findings_remaining(self, change: FindingsRemaining) -> None:
        """From the survey: a new template was assessed; this many of the action's findings remain."""
        if not self._status.closed:
            self._enqueue(change)

    @workflow.signal
    def contact_changed(self, change: ContactChanged) -> None:
        """Staff corrected the supplier's address: the email the relay refused is sent again."""
        if not self._status.closed and self._outbox.resend():
            workflow.logger.info("address corrected by %s; the refused email is sent again", change.actor)

    @workflow.update
    async def decide(self, decision: ActionDecision) -> ActionState:
        """A staff decision; returns the action's state once it is applied."""
        return await self._until_applied(self._enqueue(decision))

    @decide.validator
    def _validate_decision(self, decision: ActionDecision) -> None:
        if self._status.closed and decision.decision != Decision.NOTE:
            raise ValueError(f"this action is {self._status.value}; only a note can be added")
        # A validator runs only on new updates (refused ones never reach history), so old runs still replay.
        if decision.decision in NEEDS_TEXT and not decision.reason.strip():
            raise ValueError(f"to {decision.decision.value} an action, give {NEEDS_TEXT[decision.decision]}")
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
            await run_activity(ActivityName.VERIFY_UPLOAD, ref, DATABASE)
        except ActivityError as err:
            raise ApplicationError(reason_of(err), type="FileRejected") from None
        if self._status.closed:  # staff decided while the document was being verified
            raise ApplicationError(
                f"this action was {self._status.value} while your document was being verified; "
                "it takes no more evidence",
                type="ActionClosed",
            )
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
        if seq in self._refused:
            raise ApplicationError(self._refused.pop(seq), type="ActionClosed")
        return self.state()

    # --- the action ------------------------------------------------------------------------------------

    def _stage(self) -> Stage:
        return Stage.OVERDUE if self._overdue else Stage.REQUESTED

    async def _advance(self, step: Stage) -> None:
        if step == Stage.REMINDED:
            self._follow_ups += 1
            email = self._email(EmailKind.ACTION_FOLLOW_UP, f"follow-up-{self._follow_ups}")
            await self._announce(email, "action.follow-up")
        elif step == Stage.OVERDUE:
            self._overdue = True
            await self._announce(
                self._email(EmailKind.ACTION_ESCALATION, f"escalation-{self._events}"), "action.escalated"
            )

    async def _drain(self) -> None:
        while self._queue:
            seq, item = self._queue.pop(0)
            if isinstance(item, FindingsRemaining):
                await self._take_template(item)
            elif isinstance(item, SubmitEvidence) and self._status.closed:  # a decision came first
                self._refused[seq] = (
                    f"this action was {self._status.value} before your document was taken; "
                    "it takes no more evidence"
                )
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
        evidence = None if change.note else "template"  # a registry refresh brings no new file
        if change.remaining:
            note = change.note or f"{change.remaining} finding(s) remain in the new template"
            await self._record("action.findings-remain", note=note, file_id=change.file_id, evidence=evidence)
            return
        self._status = ActionStatus.RESOLVED
        await self._record("action.resolved", note=change.note, file_id=change.file_id, evidence=evidence)
        await self._mail(self._email(EmailKind.ACTION_CLOSED, "closed"))

    async def _decide(self, d: ActionDecision) -> None:
        if self._status.closed and d.decision != Decision.NOTE:
            return  # a second closing decision accepted in the same workflow task
        if d.decision in CLOSING:
            self._status, self._pending_evidence = CLOSING[d.decision], 0
            await self._record(EVENTS[d.decision], d, review="accepted")
            await self._mail(self._email(EmailKind.ACTION_CLOSED, "closed", reason=d.reason))
        elif d.decision == Decision.REJECT:
            self._round, self._round_start = self._round + 1, workflow.now()
            self._follow_ups, self._overdue, self._pending_evidence = 0, False, 0
            self._status, self._due = ActionStatus.REJECTED, workflow.now() + self._span
            await self._record("action.rejected", d, review="rejected")
            await self._mail(self._email(EmailKind.ACTION_REJECTED, "rejected", reason=d.reason))
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

    def _email(self, kind: EmailKind, step: str, reason: str = "") -> EmailRequest:
        return EmailRequest(
            survey_id=self._inp.survey_id,
            key=f"{workflow.info().workflow_id}/r{self._round}/{step}",
            kind=kind,
            due_at=self._due,
            reminders=self._follow_ups,
            action_id=self._inp.action_id,
            reason=reason,
        )

    async def _announce(self, email: EmailRequest, event: str) -> None:
        """Record an event and send its email beside the action (before EMAIL_APART: email, then event)."""
        if workflow.patched(EMAIL_APART):
            await self._record(event)
            self._outbox.post(email)
        else:
            await self._outbox.send(email)
            await self._record(event)

    async def _mail(self, email: EmailRequest) -> None:
        """Send an email after the event it tells of was recorded, without waiting for the relay."""
        if workflow.patched(EMAIL_APART):
            self._outbox.post(email)
        else:
            await self._outbox.send(email)

    async def _email_not_sent(self, email: EmailRequest, event: str, note: str) -> None:
        await self._record(f"action.{event}", note=note)

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
        async with self._recording:  # changes reach the database in the order they were made
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
            await record(ActivityName.RECORD_ACTION, change)
            if self._inp.indexed:
                workflow.upsert_search_attributes(
                    [sa.STAGE.value_set(f"action-{self._status.value}"), sa.DUE_AT.value_set(self._due)]
                )
