"""Timeouts, retry policies and the reminder cadence of the survey workflows (pure, deterministic)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from temporalio import workflow
from temporalio.common import RetryPolicy

from models.enums import Stage
from models.messages import Cadence

with workflow.unsafe.imports_passed_through():
    from models.settings import parse_duration  # one parser for settings, CLI and workflows

__all__ = ["CHECK", "DATABASE", "EMAIL", "PAGE", "Cadence", "Plan", "Step", "next_step", "parse_duration"]


@dataclass(frozen=True)
class ActivityPolicy:
    """How long one attempt of an activity may take, how often it must heartbeat, how it is retried."""

    timeout: dt.timedelta
    retry: RetryPolicy
    heartbeat: dt.timedelta | None = None


# The database and the mail relay can be down for hours: keep retrying, slower and slower.
DATABASE = ActivityPolicy(
    dt.timedelta(seconds=30),
    RetryPolicy(initial_interval=dt.timedelta(seconds=1), maximum_interval=dt.timedelta(minutes=5)),
)
EMAIL = ActivityPolicy(
    dt.timedelta(seconds=60),
    RetryPolicy(initial_interval=dt.timedelta(seconds=2), maximum_interval=dt.timedelta(minutes=10)),
)
# A template that crashes the checker three times will crash it a fourth time. Check and assess
# heartbeat while they work, so a dead worker's attempt is retried after 30 s, not after 5 minutes.
CHECK = ActivityPolicy(
    dt.timedelta(minutes=5),
    RetryPolicy(
        initial_interval=dt.timedelta(seconds=1),
        maximum_attempts=3,
        non_retryable_error_types=["FileRejected"],
    ),
    heartbeat=dt.timedelta(seconds=30),
)
PAGE = ActivityPolicy(
    dt.timedelta(minutes=10),
    RetryPolicy(initial_interval=dt.timedelta(seconds=1), maximum_interval=dt.timedelta(minutes=2)),
)


@dataclass(frozen=True)
class Plan:
    """A cadence with its durations parsed."""

    every: dt.timedelta
    reminders: int
    escalation_after: dt.timedelta
    reopen_window: dt.timedelta

    @classmethod
    def of(cls, cadence: Cadence) -> Plan:
        """Parse a cadence's durations."""
        return cls(
            parse_duration(cadence.reminder_every),
            cadence.reminders,
            parse_duration(cadence.escalation_after),
            parse_duration(cadence.reopen_window),
        )


@dataclass(frozen=True)
class Step:
    """The next thing to do while waiting for an upload, and when (None: nothing, wait)."""

    action: Stage | None
    at: dt.datetime | None


def next_step(
    plan: Plan, start: dt.datetime, due: dt.datetime, reminders: int, escalated: bool, stage: Stage
) -> Step:
    """Reminders every `every` before the due date, escalation `escalation_after` the last, then overdue."""
    if reminders < plan.reminders and start + plan.every * (reminders + 1) < due:
        return Step(Stage.REMINDED, start + plan.every * (reminders + 1))
    if not escalated:
        return Step(Stage.ESCALATED, start + plan.every * reminders + plan.escalation_after)
    if stage != Stage.OVERDUE:
        return Step(Stage.OVERDUE, due)
    return Step(None, None)
