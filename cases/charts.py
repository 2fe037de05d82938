"""Charts as SVG geometry computed on the server (the console serves no chart script): bars, a line."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

WIDTH = 640
LABELS = 110  # room for the metal names left of the bars
BAR = 16
GAP = 14


@dataclass(frozen=True)
class Bar:
    """One bar: its box, the series it shows (a CSS class) and its value as text."""

    x: float
    y: float
    width: float
    height: float
    series: str
    text: str


@dataclass
class BarChart:
    """Horizontal bars, one group per label, shares of 0–100%."""

    height: float
    labels: list[tuple[float, str]] = field(default_factory=list)  # (y, text)
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, "50%")
    width: int = WIDTH


@dataclass
class LineChart:
    """A line over time: the polyline's points, dots and axis labels, in a fixed box."""

    points: str
    dots: list[tuple[float, float, str]]  # (x, y, what it says)
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = 220


def percent(value: float | None) -> str:
    """A share as text (n/a when there was nothing to divide)."""
    return "n/a" if value is None else f"{value:.1%}"


def share_bars(groups: list[tuple[str, dict[str, float | None]]]) -> BarChart:
    """Bars of shares per label: each label gets one bar per series (conformant, participating, ...)."""
    span = WIDTH - LABELS - 50
    series_count = max((len(values) for _, values in groups), default=1)
    block = series_count * BAR + GAP
    chart = BarChart(height=20 + len(groups) * block + 20)
    for i, (label, values) in enumerate(groups):
        top = 10 + i * block
        chart.labels.append((top + series_count * BAR / 2 + 4, label))
        for j, (series, value) in enumerate(values.items()):
            chart.bars.append(
                Bar(LABELS, top + j * BAR, round(span * (value or 0), 1), BAR - 2, series, percent(value))
            )
    chart.ticks = [(LABELS + span * t / 4, f"{t * 25}%") for t in range(5)]
    return chart


def line_over_time(points: list[tuple[dt.date, int]], whole: int, min_days: int = 7) -> LineChart:
    """Counts over days as a share of `whole`, y from 0 to 100%, x over at least `min_days` (counts that
    start later begin from none the day before, so a young campaign's first day is a rise, not a dot)."""
    left, right, top, bottom = 50, WIDTH - 20, 10, 190
    if points and (points[-1][0] - points[0][0]).days < min_days:
        before = {points[-1][0] - dt.timedelta(days=min_days), points[0][0] - dt.timedelta(days=1)}
        points = [*((day, 0) for day in sorted(before)), *points]
    first = points[0][0] if points else dt.date.today()
    days = max((points[-1][0] - first).days, 1) if points else 1

    def x(day: dt.date) -> float:
        return round(left + (right - left) * (day - first).days / days, 1)

    def y(count: int) -> float:
        return round(bottom - (bottom - top) * (count / whole if whole else 0), 1)

    dots = [(x(d), y(n), f"{d.isoformat()}: {n} of {whole}") for d, n in points]
    x_ticks = [(x(d), d.isoformat()) for d in {points[0][0], points[-1][0]}] if points else []
    return LineChart(
        points=" ".join(f"{px},{py}" for px, py, _ in dots),
        dots=dots,
        x_ticks=sorted(x_ticks),
        y_ticks=[(bottom - (bottom - top) * t / 4, f"{t * 25}%") for t in range(5)],
    )
