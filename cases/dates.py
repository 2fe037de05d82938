"""Dates as people type them, read the same way by every interface."""

from __future__ import annotations

import datetime as dt

from models.settings import parse_duration


def parse_due(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """A due date: `2027-03-31` (end of that day, UTC), an ISO date-time, or `+duration` from now."""
    now = now or dt.datetime.now(dt.UTC)
    text = text.strip()
    if text.startswith("+"):
        return now + parse_duration(text[1:])
    try:
        day = dt.date.fromisoformat(text)
        return dt.datetime.combine(day, dt.time(23, 59, 59), dt.UTC)
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; use 2027-03-31, 2027-03-31T17:00+02:00 or +30d") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
