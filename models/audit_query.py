"""Find audit events by case, actor, subject, action and time (the CLI log and export, the console)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select

from models.audit import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show; empty fields do not filter. `until` is exclusive."""

    case: int | None = None
    actor: str | None = None
    subject: str | None = None
    action: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def parse_moment(text: str) -> dt.datetime:
    """A --since/--until value: a date (its midnight, UTC) or an ISO date-time (UTC unless it says)."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date; use 2026-11-26 or 2026-11-26T08:00") from None
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def events_query(f: AuditFilter) -> Select[AuditEvent]:
    """The events matching a filter, oldest first (chain order)."""
    query = select(AuditEvent).order_by(AuditEvent.id)
    if f.case is not None:
        query = query.where(AuditEvent.subject == f"survey:{f.case}")
    if f.subject:
        query = query.where(AuditEvent.subject == f.subject)
    if f.actor:
        query = query.where(AuditEvent.actor == f.actor)
    if f.action:
        query = query.where(AuditEvent.action.startswith(f.action, autoescape=True))
    if f.since:
        query = query.where(AuditEvent.at >= f.since)
    if f.until:
        query = query.where(AuditEvent.at < f.until)
    return query
