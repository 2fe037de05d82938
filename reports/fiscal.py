"""Fiscal years: named by the calendar year they start in, starting in the month the settings name."""

from __future__ import annotations

import datetime as dt
import re

_FY = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*$", re.IGNORECASE)


def fiscal_year_of(day: dt.date, start_month: int) -> int:
    """The fiscal year a day falls in (FY2025 with start month 4: 2025-04-01 to 2026-03-31)."""
    return day.year if day.month >= start_month else day.year - 1


def fiscal_period(year: int, start_month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a fiscal year."""
    first = dt.date(year, start_month, 1)
    return first, dt.date(year + 1, start_month, 1) - dt.timedelta(days=1)


def parse_fiscal_year(text: str) -> int:
    """'2025' or 'FY2025' -> 2025; ValueError otherwise."""
    match = _FY.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a fiscal year (write 2025 or FY2025)")
    return int(match.group(1))


def label(year: int, start_month: int) -> str:
    """'FY2025' with its months when the year does not start in January."""
    if start_month == 1:
        return f"FY{year}"
    first, last = fiscal_period(year, start_month)
    return f"FY{year} ({first:%b %Y} - {last:%b %Y})"
