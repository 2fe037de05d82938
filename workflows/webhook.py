"""Webhook workflows: a dispatcher reads case events from the audit trail and starts one delivery workflow
per (webhook, event); each delivery retries with backoff until the receiver takes it or time runs out."""

from __future__ import annotations

import datetime as dt

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, WorkflowAlreadyStartedError

from models.webhook_messages import Collected, DeliveryInput, DeliveryOutcome, DispatchInput, WebhookActivity
from workflows.policies import DATABASE

DISPATCH_ID = "webhook-dispatch"


def delivery_workflow_id(delivery_id: int) -> str:
    """One workflow per delivery row: starting it twice is a no-op."""
    return f"webhook-delivery-{delivery_id}"


@workflow.defn
class WebhookDeliveryWorkflow:
    """POST one event, retried with exponential backoff; failed only once the give-up time has passed."""

    @workflow.run
    async def run(self, inp: DeliveryInput) -> DeliveryOutcome:
        """Deliver, or record that it failed for good."""
        retry = RetryPolicy(
            initial_interval=dt.timedelta(seconds=inp.retry_seconds),
            backoff_coefficient=2.0,
            maximum_interval=dt.timedelta(seconds=inp.max_retry_seconds),
        )
        try:
            return DeliveryOutcome.model_validate(
                await workflow.execute_activity(
                    WebhookActivity.DELIVER,
                    inp.delivery_id,
                    start_to_close_timeout=dt.timedelta(seconds=30),
                    schedule_to_close_timeout=dt.timedelta(hours=inp.give_up_hours),
                    retry_policy=retry,
                )
            )
        except ActivityError:
            await workflow.execute_activity(
                WebhookActivity.GIVE_UP,
                inp.delivery_id,
                start_to_close_timeout=DATABASE.timeout,
                retry_policy=DATABASE.retry,
            )
            return DeliveryOutcome(delivery_id=inp.delivery_id, status="failed")


@workflow.defn
class WebhookDispatchWorkflow:
    """Reads new audit events every `poll_seconds`, starting a delivery workflow for each delivery."""

    @workflow.run
    async def run(self, inp: DispatchInput) -> None:
        """Loop; continue as new after `rounds_per_run` rounds."""
        after = inp.after_seq
        for _ in range(inp.rounds_per_run):
            found = Collected.model_validate(
                await workflow.execute_activity(
                    WebhookActivity.COLLECT,
                    after,
                    start_to_close_timeout=DATABASE.timeout,
                    retry_policy=DATABASE.retry,
                )
            )
            for delivery_id in found.deliveries:
                await self._start(inp, delivery_id)
            moved, after = found.after_seq != after, found.after_seq
            if not moved:  # read to the end: wait for more
                await workflow.sleep(dt.timedelta(seconds=inp.poll_seconds))
        workflow.continue_as_new(inp.model_copy(update={"after_seq": after}))

    async def _start(self, inp: DispatchInput, delivery_id: int) -> None:
        child = DeliveryInput(
            delivery_id=delivery_id,
            retry_seconds=inp.retry_seconds,
            max_retry_seconds=inp.max_retry_seconds,
            give_up_hours=inp.give_up_hours,
        )
        try:
            await workflow.start_child_workflow(
                WebhookDeliveryWorkflow.run,
                child,
                id=delivery_workflow_id(delivery_id),
                parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            )
        except WorkflowAlreadyStartedError:
            pass  # started by an earlier run of the dispatcher: it is on its way
