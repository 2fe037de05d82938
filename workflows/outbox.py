"""What the survey and corrective-action workflows share: calling activities, and their outgoing email,
sent in order beside the case so that no decision of the case waits on the mail relay."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from models.enums import ActivityName, EmailKind, ErrorType
from models.messages import EmailRequest
from workflows.policies import DATABASE, EMAIL, ActivityPolicy

EMAIL_APART = "email-apart"  # a step is recorded first; its email goes out beside the case
RESEND = "/resend-"

# How a workflow records an email that was not sent: (email, event, note); event is
# "email-bounced" (the relay refused the address for good) or "email-failed" (another permanent error).
Record = Callable[[EmailRequest, str, str], Awaitable[None]]


async def run_activity(
    name: ActivityName, arg: Any, policy: ActivityPolicy, queue: str | None = None, local: bool = False
) -> Any:
    """Run an activity; `queue` None means the workflow's own task queue; `local` runs it in the worker that
    runs the workflow, within its workflow task (no task-queue round trip)."""
    if local:
        return await workflow.execute_local_activity(
            name.value, arg, start_to_close_timeout=policy.timeout, retry_policy=policy.retry
        )
    return await workflow.execute_activity(
        name.value,
        arg,
        task_queue=queue,
        start_to_close_timeout=policy.timeout,
        heartbeat_timeout=policy.heartbeat,
        retry_policy=policy.retry,
    )


def reason_of(err: ActivityError) -> str:
    """What an activity's failure says, for a person."""
    cause = err.cause
    return cause.message if isinstance(cause, ApplicationError) else str(cause or err)


def error_type(err: ActivityError) -> str | None:
    """The type name of an activity's application failure (None for timeouts and cancellations)."""
    cause = err.cause
    return cause.type if isinstance(cause, ApplicationError) else None


async def record(name: ActivityName, change: Any, local: bool = False) -> None:
    """Run a record activity; when the row it writes is gone, the run ends saying so (no endless retry)."""
    try:
        await run_activity(name, change, DATABASE, local=local)
    except ActivityError as err:
        if error_type(err) != ErrorType.MISSING_ROW:
            raise
        raise ApplicationError(reason_of(err), type=ErrorType.MISSING_ROW.value, non_retryable=True) from None


class Outbox:
    """A workflow's emails, sent one after another by a task of their own.

    A refused address is recorded and the internal owner told once; the latest refused email to the
    supplier is kept so that it can be sent again when staff correct the address.
    """

    def __init__(self, queue: str | None, record: Record) -> None:
        self._queue = queue
        self._record = record
        self._waiting: list[EmailRequest] = []
        self._task: asyncio.Task[None] | None = None
        self._resends = 0
        self.bounced: EmailRequest | None = None

    def idle(self) -> bool:
        """True when every email handed over has been sent or recorded as not sent."""
        return not self._waiting

    def post(self, email: EmailRequest) -> None:
        """Send an email after those already waiting, without waiting for it."""
        self._waiting.append(email)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())

    async def send(self, email: EmailRequest) -> None:
        """Send an email now and wait for it (the command order of runs started before EMAIL_APART)."""
        await self._deliver(email)

    def resend(self) -> bool:
        """Send the latest refused email again under a new key, so its row is composed to the new address."""
        email, self.bounced = self.bounced, None
        if email is None:
            return False
        self._resends += 1
        key = f"{email.key.split(RESEND)[0]}{RESEND}{self._resends}"
        self.post(email.model_copy(update={"key": key}))
        return True

    def forget(self) -> None:
        """The case moved on: a corrected address no longer brings back an old email."""
        self.bounced = None

    async def _drain(self) -> None:
        while self._waiting:
            try:
                await self._deliver(self._waiting[0])
            except ApplicationError as err:  # recording failed for good: the run ends at its next step
                workflow.logger.warning("email %s not recorded: %s", self._waiting[0].key, err)
            self._waiting.pop(0)

    async def _deliver(self, email: EmailRequest) -> None:
        try:
            await run_activity(ActivityName.SEND_EMAIL, email, EMAIL, self._queue)
        except ActivityError as err:
            await self._refused(email, err)

    async def _refused(self, email: EmailRequest, err: ActivityError) -> None:
        reason, notice = reason_of(err), email.kind == EmailKind.BOUNCE_NOTICE
        if error_type(err) != ErrorType.EMAIL_BOUNCED:
            await self._record(email, "email-failed", f"the {email.kind.value} email was not sent: {reason}")
            return
        if notice:
            await self._record(email, "email-bounced", f"the notice to the owner was refused too: {reason}")
            return
        first, self.bounced = self.bounced is None, email
        await self._record(email, "email-bounced", f"the {email.kind.value} email was refused: {reason}")
        if first:  # one notice until the address is corrected, however many reminders bounce
            key = f"{email.key}/bounce-notice"
            update = {"key": key, "kind": EmailKind.BOUNCE_NOTICE, "reason": reason, "copy_owner": False}
            self.post(email.model_copy(update=update))
