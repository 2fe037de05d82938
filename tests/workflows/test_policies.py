"""The reminder cadence: reminders before the due date, escalation after the last, then overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from models.enums import Stage
from models.messages import Cadence
from workflows.policies import Plan, next_step, parse_duration

START = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def timeline(cadence: Cadence, due: dt.datetime) -> list[tuple[Stage, float]]:
    """Every step of a silent round, as (stage, days after the start)."""
    plan, steps = Plan.of(cadence), []
    reminders, escalated, stage = 0, False, Stage.REQUESTED
    while (step := next_step(plan, START, due, reminders, escalated, stage)).action is not None:
        assert step.at is not None
        steps.append((step.action, (step.at - START) / DAY))
        stage = step.action
        reminders += step.action == Stage.REMINDED
        escalated = escalated or step.action == Stage.ESCALATED
    return steps


def test_reminders_escalation_then_overdue_at_the_due_date() -> None:
    cadence = Cadence(reminder_every="14d", reminders=3, escalation_after="7d")
    assert timeline(cadence, START + 90 * DAY) == [
        (Stage.REMINDED, 14),
        (Stage.REMINDED, 28),
        (Stage.REMINDED, 42),
        (Stage.ESCALATED, 49),
        (Stage.OVERDUE, 90),
    ]


def test_no_reminder_after_the_due_date_and_overdue_never_before_the_escalation() -> None:
    cadence = Cadence(reminder_every="14d", reminders=3, escalation_after="7d")
    assert timeline(cadence, START + 30 * DAY) == [
        (Stage.REMINDED, 14),
        (Stage.REMINDED, 28),
        (Stage.ESCALATED, 35),
        (Stage.OVERDUE, 30),
    ]
    assert timeline(Cadence(reminders=0, escalation_after="36h"), START - DAY) == [
        (Stage.ESCALATED, 1.5),
        (Stage.OVERDUE, -1),  # a late round: overdue right after escalating
    ]


@pytest.mark.parametrize(("text", "seconds"), [("14d", 14 * 86400), ("36h", 36 * 3600), ("2s", 2)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text).total_seconds() == seconds
