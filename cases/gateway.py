"""The console's, the API's and the CLI's way to Temporal: one lazily connected client; staff signals
and supplier updates."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from activities.filestore import refuse_upload
from models.messages import SubmitUpload, UploadOutcome
from workflows import SurveyWorkflow

START_POLL = 0.25  # seconds between two looks for a survey workflow the campaign is about to start


class WorkflowUnavailable(RuntimeError):
    """Temporal could not be reached or the workflow did not take the message."""


class NotStarted(WorkflowUnavailable):
    """The workflow does not exist (yet): a campaign records and emails a batch before it starts it."""


class Refused(ValueError):
    """A workflow refused an Update (an upload, a decision); the message is for the person who sent it."""


Connect = Callable[[], Awaitable[Client]]


class Gateway:
    """Connects on first use (so the console starts even when Temporal is still starting); the way to
    connect is injected (the worker package owns the client setup, and the console does not import it)."""

    def __init__(self, connect: Connect | None = None, client: Client | None = None) -> None:
        self._connect = connect
        self._client = client
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        """The shared client, connected once."""
        async with self._lock:
            if self._client is None:
                if self._connect is None:
                    raise WorkflowUnavailable("this console has no Temporal connection configured")
                try:
                    self._client = await self._connect()
                except RuntimeError as exc:
                    raise WorkflowUnavailable(f"Temporal is not reachable ({exc})") from None
            return self._client

    async def signal(self, workflow_id: str, signal: Any, arg: Any) -> None:
        """Send a staff action to a survey workflow."""
        client = await self.client()
        try:
            await client.get_workflow_handle(workflow_id).signal(signal, arg)
        except RPCError as exc:
            raise WorkflowUnavailable(f"the survey workflow did not take it ({exc.message})") from None

    async def update(self, workflow_id: str, update: Any, arg: Any) -> Any:
        """Run an Update on a workflow; a refusal (validator or handler) raises Refused."""
        client = await self.client()
        try:
            return await client.get_workflow_handle(workflow_id).execute_update(update, arg)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            raise Refused(cause.message if isinstance(cause, ApplicationError) else str(cause)) from None
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise NotStarted(exc.message) from None
            raise WorkflowUnavailable(exc.message) from None

    async def submit_upload(self, workflow_id: str, upload: SubmitUpload, wait: float = 0) -> UploadOutcome:
        """Offer a stored file to the survey workflow as its Update and wait for the check's outcome; a
        workflow not started yet is waited for up to `wait` seconds (its case is past pending)."""
        until = time.monotonic() + wait
        while True:
            try:
                outcome = await self.update(workflow_id, SurveyWorkflow.submit_upload, upload)
                return UploadOutcome.model_validate(outcome)
            except NotStarted:
                if time.monotonic() >= until:
                    raise
                await asyncio.sleep(START_POLL)

    async def submit_stored(
        self, sessions: sessionmaker[Session], workflow_id: str, upload: SubmitUpload, by: str, wait: float
    ) -> UploadOutcome:
        """`submit_upload`, and a file the case does not take is marked refused on its row, with the
        reason, before the refusal is raised."""
        try:
            return await self.submit_upload(workflow_id, upload, wait=wait)
        except (Refused, WorkflowUnavailable) as exc:
            await asyncio.to_thread(refuse_upload, sessions, upload.file_id, str(exc), by)
            raise
