"""SurveyWorkflow: one supplier's answer to one campaign, from request to accepted or risk found."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ActivityError, ApplicationError, FailureError

from models import search_attributes as sa
from models.enums import ActionStatus, ActivityName, CheckStatus, EmailKind, Stage
from models.messages import (
    ActionChange,
    ActionInput,
    ActionPlan,
    ActionState,
    AssessOutcome,
    CheckOutcome,
    CloseCase,
    ContactChanged,
    EmailRequest,
    Exempt,
    ExtendDue,
    FileRef,
    FindingsRemaining,
    HoldReminders,
    PlanActions,
    RemindNow,
    Reopen,
    SubmitUpload,
    SurveyInput,
    SurveyState,
    Transition,
    UploadOutcome,
    step_key,
)
from models.refresh_messages import Reassessed
from workflows.corrective_action import CorrectiveActionWorkflow, ended_by
from workflows.outbox import EMAIL_APART, Outbox, reason_of, record, run_activity
from workflows.policies import CHECK, DATABASE, Plan, next_step


def survey_workflow_id(campaign: str, supplier_id: str) -> str:
    """The business key of a survey workflow."""
    return f"survey-{campaign}-{supplier_id}"


ACTIONS_PATCH = "corrective-actions"  # findings open corrective actions; the survey ends after them
REOPEN_ANEW = "reopen-anew"  # a reopened case ends by the actions opened since, not by earlier ones
REMIND_NOW = "remind-now"  # staff can send a reminder at once, outside the cadence
PAUSE_REMINDERS = "pause-reminders"  # staff can hold a case's reminders and resume them
# The first request is recorded by a local activity in the workflow task that starts the case: a campaign's
# survey costs one task-queue round trip less (bench_campaign.py).
REQUEST_LOCAL = "request-local"
REGISTRY_REFRESH = "registry-refresh"  # a registry refresh's new assessment opens and resolves actions
UPLOAD_AFTER_REOPEN = "upload-after-reopen"  # an upload sent with a reopen waits for the reopening
SETTLED = frozenset({ActionStatus.RESOLVED, ActionStatus.ACCEPTED})
JUDGED = frozenset({Stage.ACCEPTED, Stage.RISK_FOUND})  # the stages a registry refresh judges again
_CLOSED = "this case is {}: it takes no upload unless staff reopen it"


@workflow.defn
class SurveyWorkflow:
    """Request, remind, escalate; check each upload; ask for fixes; assess the complete one."""

    @workflow.init
    def __init__(self, inp: SurveyInput) -> None:
        self._inp = inp
        self._plan = Plan.of(inp.cadence)
        self._stage = Stage.PENDING
        self._due = inp.due_at
        self._round = 0
        self._reminders = 0
        self._escalated = False
        self._busy = False  # an upload is being verified or checked
        self._pending: SubmitUpload | None = None
        self._outcomes: dict[int, UploadOutcome] = {}
        self._failed: dict[int, str] = {}
        self._last_file: int | None = None
        self._issue_count: int | None = None
        self._risk: str | None = None
        self._findings: int | None = None
        self._exempt_reason: str | None = None
        self._staff_end: Exempt | CloseCase | None = None
        self._reopen: Reopen | None = None
        self._extensions: list[ExtendDue] = []
        self._extended = 0
        self._nudges: list[RemindNow] = []  # reminders staff asked for now
        self._nudged = 0
        self._holds: list[tuple[bool, HoldReminders]] = []  # (pause?, by whom) not yet applied
        self._paused_at: dt.datetime | None = None  # reminders held since
        self._pauses = 0
        self._fixing = False  # the current round waits for a corrected file
        self._waiting_round = -1
        self._round_start = workflow.now()
        self._actions: dict[int, workflow.ChildWorkflowHandle[Any, Any]] = {}
        self._ended: set[int] = set()  # actions whose workflow ended without a decision, recorded closed
        self._before_reopen: set[int] = set()  # actions already closed when staff last reopened the case
        self._outbox = Outbox(inp.email_queue, self._email_not_sent)
        self._recording = asyncio.Lock()  # transitions reach the database in the order they were made
        self._reassessed: list[Reassessed] = []  # registry refreshes' new assessments, not yet taken
        self._taken_assessments: set[int] = set()

    @workflow.run
    async def run(self, inp: SurveyInput) -> SurveyState:
        """Run the case until it is finished and no longer reopened."""
        if inp.requested:  # the campaign recorded the request, and sent its email unless it says not
            self._stage = Stage.REQUESTED
            if not inp.request_sent:
                self._outbox.post(self._email(EmailKind.REQUEST, "request"))
        else:
            await self._announce(EmailKind.REQUEST, Stage.REQUESTED, "request", first=True)
        window_end: dt.datetime | None = None  # a registry refresh taken meanwhile keeps the window
        while True:
            await self._until_finished()
            await self._follow_actions()
            window_end = window_end or workflow.now() + self._plan.reopen_window
            try:
                await workflow.wait_condition(
                    lambda: self._reopen is not None or bool(self._reassessed),
                    timeout=max(window_end - workflow.now(), dt.timedelta(seconds=1)),
                )
            except TimeoutError:
                # Before returning, the last emails go out and every handler finishes; a reopen taken
                # meanwhile (or in the same moment as the timer) is applied, not dropped.
                await workflow.wait_condition(
                    lambda: (
                        self._reopen is not None
                        or bool(self._reassessed)
                        or (self._outbox.idle() and workflow.all_handlers_finished())
                    )
                )
                if self._reopen is None and not self._reassessed:
                    return self.state()
            if self._reopen is None:  # woken by a registry refresh
                await self._take_reassessments()
                continue
            window_end = None
            await self._apply_reopen()

    # --- staff and supplier messages ---------------------------------------------------------------

    @workflow.query
    def state(self) -> SurveyState:
        """The live state of the case."""
        return SurveyState(
            stage=self._stage,
            due_at=self._due,
            round=self._round,
            reminders_sent=self._reminders,
            escalated=self._escalated,
            last_file_id=self._last_file,
            issue_count=self._issue_count,
            risk=self._risk,
            finding_count=self._findings,
            exempt_reason=self._exempt_reason,
            open_actions=self._open_actions(),
            bounced=self._outbox.bounced.kind if self._outbox.bounced else None,
        )

    @workflow.signal
    def extend_due(self, change: ExtendDue) -> None:
        """Move the due date (ignored once the case is finished)."""
        if not self._stage.final:
            self._extensions.append(change)

    @workflow.signal
    def exempt(self, change: Exempt) -> None:
        """Exempt the supplier from this survey (not while corrective actions are open)."""
        if not self._stage.final and not self._open_actions():
            self._staff_end = self._staff_end or change

    @workflow.signal
    def close(self, change: CloseCase) -> None:
        """Close the case without an accepted answer (not while corrective actions are open)."""
        if not self._stage.final and not self._open_actions():
            self._staff_end = self._staff_end or change

    @workflow.signal
    def reopen(self, change: Reopen) -> None:
        """Reopen a finished case and ask the supplier again."""
        if self._stage.final:
            self._reopen = self._reopen or change

    @workflow.signal
    def remind_now(self, change: RemindNow) -> None:
        """Send the supplier a reminder now (ignored unless the case waits for the supplier)."""
        if self._stage.waiting and self._pending is None:
            self._nudges.append(change)

    @workflow.signal
    def pause_reminders(self, change: HoldReminders) -> None:
        """Hold the reminders, escalation and overdue marking until resume_reminders (taken in any stage:
        a finished case that staff reopen keeps its campaign's pause)."""
        # Patched here, not in the loop: a pause sent to a worker without this handler was dropped then,
        # so replaying that history must drop it too.
        if workflow.patched(PAUSE_REMINDERS):
            self._holds.append((True, change))

    @workflow.signal
    def resume_reminders(self, change: HoldReminders) -> None:
        """Resume held reminders; the cadence carries on from where the pause stopped it."""
        if workflow.patched(PAUSE_REMINDERS):
            self._holds.append((False, change))

    @workflow.signal
    def contact_changed(self, change: ContactChanged) -> None:
        """Staff corrected the supplier's address: the email the relay refused is sent again."""
        if self._outbox.resend():
            workflow.logger.info("address corrected by %s; the refused email is sent again", change.actor)

    @workflow.signal
    def registry_changed(self, change: Reassessed) -> None:
        """A registry refresh judged the case's declaration again: new findings open actions, gone ones
        resolve theirs (taken once per assessment, while the case is accepted or risk found)."""
        if change.assessment_id not in self._taken_assessments:
            self._taken_assessments.add(change.assessment_id)
            self._reassessed.append(change)

    @workflow.update
    async def submit_upload(self, upload: SubmitUpload) -> UploadOutcome:
        """Take a stored file as the supplier's answer; returns what its check found."""
        if self._busy:  # a second update accepted in the same workflow task
            raise ApplicationError("an upload for this case is already being checked", type="Busy")
        self._busy = True
        self._failed.pop(upload.file_id, None)  # a file we failed to check may be offered again
        # Staff reopened the case a moment ago: the run loop applies it first (runs before the patch
        # took an upload with a reopen pending at once).
        if self._reopen is not None and workflow.patched(UPLOAD_AFTER_REOPEN):
            await workflow.wait_condition(lambda: self._reopen is None)
            if self._moved_on():
                self._busy = False
                raise ApplicationError(_CLOSED.format(self._stage.value), type="CaseClosed")
        try:
            ref = FileRef(
                survey_id=self._inp.survey_id,
                file_id=upload.file_id,
                sha256=upload.sha256,
                size=upload.size,
                max_bytes=self._inp.max_upload_bytes,
            )
            await run_activity(ActivityName.VERIFY_UPLOAD, ref, DATABASE)
        except ActivityError as err:
            self._busy = False
            raise ApplicationError(reason_of(err), type="FileRejected") from None
        if self._moved_on():  # staff ended the case, or its last action closed, during the verification
            self._busy = False
            ended = "exempted" if self._stage == Stage.EXEMPTED else "closed"
            raise ApplicationError(
                f"this case was {ended} while your file was being verified; "
                "it takes no upload unless staff reopen it",
                type="CaseClosed",
            )
        self._pending = upload
        await workflow.wait_condition(
            lambda: upload.file_id in self._outcomes or upload.file_id in self._failed
        )
        if upload.file_id in self._failed:
            raise ApplicationError(self._failed[upload.file_id], type="CheckFailed")
        return self._outcomes[upload.file_id]

    @submit_upload.validator
    def _validate_upload(self, upload: SubmitUpload) -> None:
        if self._moved_on() and self._reopen is None:
            raise ValueError(_CLOSED.format(self._stage.value))
        if self._busy or self._pending is not None:
            raise ValueError("an upload for this case is already being checked; wait for its result")
        if upload.size > self._inp.max_upload_bytes:
            raise ValueError(f"the file is {upload.size} bytes; the limit is {self._inp.max_upload_bytes}")
        if upload.size == 0:
            raise ValueError("the file is empty")
        if upload.file_id in self._outcomes:
            raise ValueError(f"file {upload.file_id} was already checked; upload the corrected file")

    def _moved_on(self) -> bool:
        """True once the run loop takes no upload: the case is finished and no action is open."""
        return self._stage.final and not self._open_actions()

    # --- the case --------------------------------------------------------------------------------------

    async def _until_finished(self) -> None:
        while not self._stage.final:
            await self._wait_for_answer()
            if self._pending is not None:
                await self._take(self._pending)
            elif self._staff_end is not None:
                end, self._staff_end = self._staff_end, None
                self._outbox.forget()
                if isinstance(end, Exempt):
                    self._exempt_reason = end.reason
                    await self._record(Stage.EXEMPTED, "exempted", actor=end.actor, note=end.reason)
                else:
                    await self._record(Stage.CLOSED, "closed", actor=end.actor, note=end.reason)
        self._staff_end = None

    async def _wait_for_answer(self) -> None:
        if self._waiting_round != self._round:  # a new round gets its own reminders
            self._waiting_round, self._round_start = self._round, workflow.now()
            self._reminders, self._escalated = 0, False
        while self._pending is None and self._staff_end is None:
            step = next_step(
                self._plan, self._round_start, self._due, self._reminders, self._escalated, self._stage
            )
            timeout = None if step.at is None or self._paused_at else step.at - workflow.now()
            if timeout is not None and timeout <= dt.timedelta(0):
                await self._advance(step.action)
                continue
            try:
                await workflow.wait_condition(self._interrupted, timeout=timeout)
            except TimeoutError:
                await self._advance(step.action)
                continue
            await self._apply_extensions()
            await self._send_nudges()
            await self._apply_holds()

    def _interrupted(self) -> bool:
        return (
            self._pending is not None
            or self._staff_end is not None
            or bool(self._extensions)
            or bool(self._nudges)
            or bool(self._holds)
        )

    async def _apply_holds(self) -> None:
        """Pause or resume the cadence; a resume moves the round's start by the time spent paused."""
        while self._holds:
            pause, change = self._holds.pop(0)
            now = workflow.now()
            if pause == (self._paused_at is not None):
                continue  # already so
            if pause:
                self._paused_at = now
            else:
                assert self._paused_at is not None
                self._round_start += now - max(self._paused_at, self._round_start)
                self._paused_at = None
            self._pauses += 1
            word = "paused" if pause else "resumed"
            await self._record(
                None,
                f"reminders-{word}-{self._pauses}",
                actor=change.actor,
                note=change.reason,
                action=f"survey.reminders-{word}",
            )

    async def _send_nudges(self) -> None:
        """A reminder per staff request, the stage and the cadence's own reminders left as they are."""
        while self._nudges and self._pending is None and workflow.patched(REMIND_NOW):
            change = self._nudges.pop(0)
            self._nudged += 1
            step = f"remind-now-{self._nudged}"
            await self._record(self._stage, step, actor=change.actor, action="survey.reminded-now")
            self._outbox.post(self._email(EmailKind.REMINDER, step))

    async def _advance(self, action: Stage | None) -> None:
        if action == Stage.REMINDED:
            self._reminders += 1
            stage = Stage.FIX_REQUESTED if self._fixing else Stage.REMINDED
            await self._announce(EmailKind.REMINDER, stage, f"reminder-{self._reminders}")
        elif action == Stage.ESCALATED:
            self._escalated = True
            await self._announce(EmailKind.ESCALATION, Stage.ESCALATED, "escalation", copy_owner=True)
        elif action == Stage.OVERDUE:
            await self._record(Stage.OVERDUE, "overdue")

    async def _apply_extensions(self) -> None:
        while self._extensions:
            change = self._extensions.pop(0)
            self._extended += 1
            self._due = change.due_at
            stage = self._stage
            if stage == Stage.OVERDUE and self._due > workflow.now():
                stage = Stage.ESCALATED
            await self._record(
                stage,
                f"due-extended-{self._extended}",
                actor=change.actor,
                note=change.reason,
                action="survey.due-extended",
            )

    async def _take(self, upload: SubmitUpload) -> None:
        self._last_file = upload.file_id
        waiting = self._stage
        await self._record(Stage.CHECKING, f"upload-{upload.file_id}", actor=upload.submitted_by)
        ref = FileRef(
            survey_id=self._inp.survey_id,
            file_id=upload.file_id,
            sha256=upload.sha256,
            size=upload.size,
            max_bytes=self._inp.max_upload_bytes,
        )
        try:
            check = CheckOutcome.model_validate(await run_activity(ActivityName.CHECK_UPLOAD, ref, CHECK))
            self._issue_count = check.issue_count
            if check.status == CheckStatus.COMPLETE:
                assessed = await run_activity(ActivityName.ASSESS_UPLOAD, ref, CHECK)
                await self._conclude(AssessOutcome.model_validate(assessed))
            else:
                self._round, self._fixing = self._round + 1, True
                self._reminders, self._escalated = 0, False  # the new round's own count
                await self._announce(EmailKind.FIX_REQUEST, Stage.FIX_REQUESTED, "fix-request")
        except ActivityError as err:
            # Our fault, not the supplier's: keep waiting as before and tell the uploader to retry later.
            self._failed[upload.file_id] = (
                f"the file could not be checked now ({reason_of(err)}); try again later"
            )
            await self._record(waiting, f"check-failed-{upload.file_id}", action="survey.check-failed")
        else:
            self._outcomes[upload.file_id] = UploadOutcome(
                file_id=upload.file_id, status=check.status, issue_count=check.issue_count, stage=self._stage
            )
        self._pending, self._busy = None, False

    async def _conclude(self, assessed: AssessOutcome) -> None:
        self._risk, self._findings = assessed.risk, assessed.finding_count
        if assessed.finding_count:
            await self._announce(EmailKind.RISK_FOUND, Stage.RISK_FOUND, "risk-found", copy_owner=True)
        else:
            await self._announce(EmailKind.ACCEPTED, Stage.ACCEPTED, "accepted")
        if self._actions or (assessed.finding_count and workflow.patched(ACTIONS_PATCH)):
            await self._plan_actions(assessed)

    # --- corrective actions ----------------------------------------------------------------------------

    def _open_actions(self) -> int:
        return sum(not handle.done() for handle in self._actions.values())

    async def _plan_actions(
        self, assessed: AssessOutcome, assessment_id: int | None = None, note: str = ""
    ) -> None:
        """Start an action per new finding group; tell the running ones what remains of theirs (an
        upload's assessment, or a registry refresh's of the same file)."""
        ask = PlanActions(
            survey_id=self._inp.survey_id,
            file_id=assessed.file_id,
            prefix=f"capa-{self._inp.campaign}-{self._inp.supplier_id}",
            assessment_id=assessment_id,
        )
        plans = [
            ActionPlan.model_validate(p) for p in await run_activity(ActivityName.PLAN_ACTIONS, ask, DATABASE)
        ]
        for plan in plans:
            running = self._actions.get(plan.action_id)
            if plan.new and running is None:
                action = ActionInput(
                    action_id=plan.action_id,
                    survey_id=self._inp.survey_id,
                    n=plan.n,
                    due_at=workflow.now() + plan.due_after,
                    cadence=self._inp.cadence,
                    owner=plan.owner,
                    max_upload_bytes=self._inp.max_upload_bytes,
                    indexed=self._inp.indexed,
                    email_queue=self._inp.email_queue,
                )
                self._actions[plan.action_id] = await workflow.start_child_workflow(
                    CorrectiveActionWorkflow.run,
                    action,
                    id=plan.workflow_id,
                    search_attributes=self._action_attributes(plan, action) if self._inp.indexed else None,
                    # An action is staff's work of its own: it outlives a survey that is terminated.
                    parent_close_policy=workflow.ParentClosePolicy.ABANDON,
                )
            elif running is not None and not running.done():
                remaining = FindingsRemaining(file_id=assessed.file_id, remaining=plan.remaining, note=note)
                try:
                    await running.signal(CorrectiveActionWorkflow.findings_remaining, remaining)
                except FailureError as err:  # it ended meanwhile: _follow_actions reads how
                    workflow.logger.info("action %s ended before the new template: %s", plan.n, err)

    def _action_attributes(self, plan: ActionPlan, action: ActionInput) -> TypedSearchAttributes:
        return TypedSearchAttributes(
            [
                SearchAttributePair(sa.CAMPAIGN, self._inp.campaign),
                SearchAttributePair(sa.SUPPLIER, self._inp.supplier_id),
                SearchAttributePair(sa.STAGE, "action-open"),
                SearchAttributePair(sa.RISK, plan.severity),
                SearchAttributePair(sa.DUE_AT, action.due_at),
            ]
        )

    async def _follow_actions(self) -> None:
        """While actions are open, take new templates; when all are closed, record how the case ended."""
        if not self._actions:
            return
        while self._open_actions():
            await workflow.wait_condition(
                lambda: self._pending is not None or not self._open_actions() or bool(self._reassessed)
            )
            if self._reassessed and self._pending is None:
                await self._take_reassessments()
            elif self._pending is not None:
                self._round += 1  # each new template during the actions is its own round
                await self._take(self._pending)
        anew = bool(self._before_reopen) and workflow.patched(REOPEN_ANEW)
        settled, current = True, False
        for action_id, handle in self._actions.items():
            closing = await self._closing_state(action_id, handle)
            if not anew or action_id not in self._before_reopen:
                current = True
                settled = settled and closing is not None and closing.status in SETTLED
        if not current:  # none since the reopen: the case ended as recorded
            return
        if self._stage != Stage.ACCEPTED or not settled:
            stage = Stage.ACCEPTED if settled else Stage.CLOSED
            await self._record(stage, "actions-closed", action="survey.actions-closed")

    async def _take_reassessments(self) -> None:
        """Take a registry refresh's assessment as an upload's: the case's risk, its stage, its actions."""
        while self._reassessed:
            change = self._reassessed.pop(0)
            if (
                not workflow.patched(REGISTRY_REFRESH)
                or self._stage not in JUDGED
                or change.file_id != self._last_file
            ):
                continue  # a newer upload or a staff decision came first
            self._risk, self._findings = change.risk, change.finding_count
            back = self._stage == Stage.ACCEPTED and change.high_added
            await self._record(
                Stage.RISK_FOUND if back else None,
                f"reassessed-{change.assessment_id}",
                note=change.note,
                action="survey.reassessed",
            )
            assessed = AssessOutcome(
                file_id=change.file_id, risk=change.risk, finding_count=change.finding_count
            )
            await self._plan_actions(assessed, change.assessment_id, change.note)

    async def _closing_state(
        self, action_id: int, handle: workflow.ChildWorkflowHandle[Any, Any]
    ) -> ActionState | None:
        """How an action closed; None when its workflow ended without a decision (recorded closed, once)."""
        failure = None if handle.cancelled() else handle.exception()
        if not handle.cancelled() and failure is None:
            return ActionState.model_validate(handle.result())
        if action_id not in self._ended:
            self._ended.add(action_id)
            note = f"{ended_by(failure)}; closed without a decision, the survey carries on"
            change = ActionChange(
                action_id=action_id,
                key=f"{workflow.info().workflow_id}/action-{action_id}-ended",
                event="action.closed",
                status=ActionStatus.CLOSED,
                note=note,
            )
            try:
                await run_activity(ActivityName.RECORD_ACTION, change, DATABASE)
            except ActivityError as err:  # its row is gone too: nothing left to record it on
                workflow.logger.warning("action %s not recorded closed: %s", action_id, reason_of(err))
        return None

    async def _apply_reopen(self) -> None:
        change, self._reopen = self._reopen, None
        assert change is not None
        self._outbox.forget()
        self._before_reopen = {action_id for action_id, handle in self._actions.items() if handle.done()}
        self._round, self._fixing = self._round + 1, False
        self._reminders, self._escalated = 0, False
        self._due = change.due_at or self._due
        self._exempt_reason = self._risk = self._findings = None
        await self._record(
            Stage.REQUESTED, "reopened", actor=change.actor, note=change.reason, action="survey.reopened"
        )
        await self._announce(EmailKind.REQUEST, Stage.REQUESTED, "request")

    # --- activities ------------------------------------------------------------------------------------

    def _key(self, step: str) -> str:
        return step_key(workflow.info().workflow_id, self._round, step)

    async def _announce(
        self, kind: EmailKind, stage: Stage, step: str, copy_owner: bool = False, first: bool = False
    ) -> None:
        """Record the stage a step leads to and send its email beside the case (before EMAIL_APART: the
        email first, then the stage). The `first` request is recorded by a local activity (REQUEST_LOCAL)."""
        email = self._email(kind, step, copy_owner)
        if workflow.patched(EMAIL_APART):
            await self._record(stage, step, local=first and workflow.patched(REQUEST_LOCAL))
            self._outbox.post(email)
        else:
            await self._outbox.send(email)
            await self._record(stage, step)

    def _email(self, kind: EmailKind, step: str, copy_owner: bool = False) -> EmailRequest:
        return EmailRequest(
            survey_id=self._inp.survey_id,
            key=self._key(step),
            kind=kind,
            due_at=self._due,
            file_id=self._last_file,
            copy_owner=copy_owner,
            reminders=self._reminders,
            fixing=self._fixing,
        )

    async def _email_not_sent(self, email: EmailRequest, event: str, note: str) -> None:
        """A refused or failed email is a step of the case; its stage stays as it is."""
        await self._record(None, key=f"{email.key}/{event}", action=f"survey.{event}", note=note)

    async def _record(
        self,
        stage: Stage | None,
        step: str = "",
        *,
        key: str | None = None,
        actor: str = "system",
        note: str = "",
        action: str | None = None,
        local: bool = False,
    ) -> None:
        """Record a transition to `stage` (None: the stage as it is when the record is written)."""
        if stage is not None:
            self._stage = stage  # at once: handlers re-check it while the record is written
        async with self._recording:
            stage = stage or self._stage
            change = Transition(
                survey_id=self._inp.survey_id,
                key=key or self._key(step),
                action=action or stage.action,
                actor=actor,
                stage=stage,
                due_at=self._due,
                reminders_sent=self._reminders,
                fix_rounds=self._round,
                risk=self._risk,
                exempt_reason=self._exempt_reason,
                last_file_id=self._last_file,
                note=note,
            )
            await record(ActivityName.RECORD_TRANSITION, change, local=local)
            if self._inp.indexed:
                workflow.upsert_search_attributes(
                    [
                        sa.STAGE.value_set(stage.value),
                        sa.DUE_AT.value_set(self._due),
                        sa.REMINDERS.value_set(self._reminders),
                        sa.RISK.value_set(self._risk) if self._risk else sa.RISK.value_unset(),
                    ]
                )
