"""SurveyWorkflow: one supplier's answer to one campaign, from request to accepted or risk found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ActivityError, ApplicationError

from models import search_attributes as sa
from models.enums import ActionStatus, ActivityName, CheckStatus, EmailKind, Stage
from models.messages import (
    ActionInput,
    ActionPlan,
    AssessOutcome,
    CheckOutcome,
    CloseCase,
    EmailRequest,
    Exempt,
    ExtendDue,
    FileRef,
    FindingsRemaining,
    PlanActions,
    Reopen,
    SubmitUpload,
    SurveyInput,
    SurveyState,
    Transition,
    UploadOutcome,
)
from workflows.corrective_action import CorrectiveActionWorkflow
from workflows.policies import CHECK, DATABASE, EMAIL, ActivityPolicy, Plan, next_step


def survey_workflow_id(campaign: str, supplier_id: str) -> str:
    """The business key of a survey workflow."""
    return f"survey-{campaign}-{supplier_id}"


ACTIONS_PATCH = "corrective-actions"  # findings open corrective actions; the survey ends after them
SETTLED = frozenset({ActionStatus.RESOLVED, ActionStatus.ACCEPTED})


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
        self._fixing = False  # the current round waits for a corrected file
        self._waiting_round = -1
        self._round_start = workflow.now()
        self._actions: dict[int, workflow.ChildWorkflowHandle[Any, Any]] = {}

    @workflow.run
    async def run(self, inp: SurveyInput) -> SurveyState:
        """Run the case until it is finished and no longer reopened."""
        await self._announce(EmailKind.REQUEST, Stage.REQUESTED, "request")
        while True:
            await self._until_finished()
            await self._follow_actions()
            try:
                await workflow.wait_condition(
                    lambda: self._reopen is not None, timeout=self._plan.reopen_window
                )
            except TimeoutError:
                break
            await self._apply_reopen()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.state()

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

    @workflow.update
    async def submit_upload(self, upload: SubmitUpload) -> UploadOutcome:
        """Take a stored file as the supplier's answer; returns what its check found."""
        if self._busy:  # a second update accepted in the same workflow task
            raise ApplicationError("an upload for this case is already being checked", type="Busy")
        self._busy = True
        self._failed.pop(upload.file_id, None)  # a file we failed to check may be offered again
        try:
            ref = FileRef(
                survey_id=self._inp.survey_id,
                file_id=upload.file_id,
                sha256=upload.sha256,
                size=upload.size,
                max_bytes=self._inp.max_upload_bytes,
            )
            await self._call(ActivityName.VERIFY_UPLOAD, ref, DATABASE)
        except ActivityError as err:
            self._busy = False
            raise ApplicationError(_reason(err), type="FileRejected") from None
        self._pending = upload
        await workflow.wait_condition(
            lambda: upload.file_id in self._outcomes or upload.file_id in self._failed
        )
        if upload.file_id in self._failed:
            raise ApplicationError(self._failed[upload.file_id], type="CheckFailed")
        return self._outcomes[upload.file_id]

    @submit_upload.validator
    def _validate_upload(self, upload: SubmitUpload) -> None:
        if self._stage.final and not self._open_actions():
            raise ValueError(f"this case is {self._stage.value}: it takes no upload unless staff reopen it")
        if self._busy or self._pending is not None:
            raise ValueError("an upload for this case is already being checked; wait for its result")
        if upload.size > self._inp.max_upload_bytes:
            raise ValueError(f"the file is {upload.size} bytes; the limit is {self._inp.max_upload_bytes}")
        if upload.size == 0:
            raise ValueError("the file is empty")
        if upload.file_id in self._outcomes:
            raise ValueError(f"file {upload.file_id} was already checked; upload the corrected file")

    # --- the case --------------------------------------------------------------------------------------

    async def _until_finished(self) -> None:
        while not self._stage.final:
            await self._wait_for_answer()
            if self._pending is not None:
                await self._take(self._pending)
            elif self._staff_end is not None:
                end, self._staff_end = self._staff_end, None
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
            timeout = None if step.at is None else step.at - workflow.now()
            if timeout is not None and timeout <= dt.timedelta(0):
                await self._advance(step.action)
                continue
            try:
                await workflow.wait_condition(self._interrupted, timeout=timeout)
            except TimeoutError:
                await self._advance(step.action)
                continue
            await self._apply_extensions()

    def _interrupted(self) -> bool:
        return self._pending is not None or self._staff_end is not None or bool(self._extensions)

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
            check = CheckOutcome.model_validate(await self._call(ActivityName.CHECK_UPLOAD, ref, CHECK))
            self._issue_count = check.issue_count
            if check.status == CheckStatus.COMPLETE:
                assessed = await self._call(ActivityName.ASSESS_UPLOAD, ref, CHECK)
                await self._conclude(AssessOutcome.model_validate(assessed))
            else:
                self._round, self._fixing = self._round + 1, True
                self._reminders, self._escalated = 0, False  # the new round's own count
                await self._announce(EmailKind.FIX_REQUEST, Stage.FIX_REQUESTED, "fix-request")
        except ActivityError as err:
            # Our fault, not the supplier's: keep waiting as before and tell the uploader to retry later.
            self._failed[upload.file_id] = (
                f"the file could not be checked now ({_reason(err)}); try again later"
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

    async def _plan_actions(self, assessed: AssessOutcome) -> None:
        """Start an action per new finding group; tell the running ones what remains of theirs."""
        ask = PlanActions(
            survey_id=self._inp.survey_id,
            file_id=assessed.file_id,
            prefix=f"capa-{self._inp.campaign}-{self._inp.supplier_id}",
        )
        plans = [
            ActionPlan.model_validate(p) for p in await self._call(ActivityName.PLAN_ACTIONS, ask, DATABASE)
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
                )
            elif running is not None and not running.done():
                remaining = FindingsRemaining(file_id=assessed.file_id, remaining=plan.remaining)
                await running.signal(CorrectiveActionWorkflow.findings_remaining, remaining)

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
            await workflow.wait_condition(lambda: self._pending is not None or not self._open_actions())
            if self._pending is not None:
                self._round += 1  # each new template during the actions is its own round
                await self._take(self._pending)
        results = [handle.result() for handle in self._actions.values()]
        settled = all(r.status in SETTLED for r in results)
        if self._stage != Stage.ACCEPTED or not settled:
            stage = Stage.ACCEPTED if settled else Stage.CLOSED
            await self._record(stage, "actions-closed", action="survey.actions-closed")

    async def _apply_reopen(self) -> None:
        change, self._reopen = self._reopen, None
        assert change is not None
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
        return f"{workflow.info().workflow_id}/r{self._round}/{step}"

    async def _announce(self, kind: EmailKind, stage: Stage, step: str, copy_owner: bool = False) -> None:
        """Send the email of a step, then record the stage it leads to."""
        email = EmailRequest(
            survey_id=self._inp.survey_id,
            key=self._key(step),
            kind=kind,
            due_at=self._due,
            file_id=self._last_file,
            copy_owner=copy_owner,
            reminders=self._reminders,
            fixing=self._fixing,
        )
        await self._call(ActivityName.SEND_EMAIL, email, EMAIL, queue=self._inp.email_queue)
        await self._record(stage, step)

    async def _record(
        self, stage: Stage, step: str, *, actor: str = "system", note: str = "", action: str | None = None
    ) -> None:
        self._stage = stage
        change = Transition(
            survey_id=self._inp.survey_id,
            key=self._key(step),
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
        await self._call(ActivityName.RECORD_TRANSITION, change, DATABASE)
        if self._inp.indexed:
            workflow.upsert_search_attributes(
                [
                    sa.STAGE.value_set(stage.value),
                    sa.DUE_AT.value_set(self._due),
                    sa.REMINDERS.value_set(self._reminders),
                    sa.RISK.value_set(self._risk) if self._risk else sa.RISK.value_unset(),
                ]
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


def _reason(err: ActivityError) -> str:
    cause = err.cause
    return cause.message if isinstance(cause, ApplicationError) else str(cause or err)
