"""Pydantic messages of the webhook workflows: the dispatcher that reads events, one delivery each."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from models.messages import Message


class WebhookActivity(StrEnum):
    """Activity names of the webhook workflows."""

    COLLECT = "collect_webhook_events"
    DELIVER = "deliver_webhook"
    GIVE_UP = "give_up_webhook"


class DispatchInput(Message):
    """The dispatcher's place in the audit trail (None: start at its head) and how often it looks."""

    after_seq: int | None = None
    poll_seconds: float = Field(default=5.0, gt=0)
    retry_seconds: float = Field(default=10.0, gt=0)  # first retry of a failed delivery; doubles each time
    max_retry_seconds: float = Field(default=600.0, gt=0)
    give_up_hours: float = Field(default=72.0, gt=0)  # a receiver down for an hour loses nothing
    rounds_per_run: int = Field(default=200, ge=1)  # then continue as new: the history stays small


class Collected(Message):
    """Where the audit trail was read to, and the deliveries made from it."""

    after_seq: int
    deliveries: list[int] = Field(default_factory=list)


class DeliveryInput(Message):
    """One delivery to make, and how to retry it."""

    delivery_id: int
    retry_seconds: float = 10.0
    max_retry_seconds: float = 600.0
    give_up_hours: float = 72.0


class DeliveryOutcome(Message):
    """How a delivery ended: delivered, failed (given up) or dropped (its webhook was removed)."""

    delivery_id: int
    status: str
    attempts: int = 0
