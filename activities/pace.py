"""The pace of a campaign's start: as many surveys waiting for their first step as the workers absorb within a
target time, so that what a person sends meanwhile never queues behind a backlog of new surveys."""

from __future__ import annotations


class Pace:
    """A window of surveys that may wait for their first step at once, adjusted by how long they wait.

    Each survey that gets its first step within `target` seconds widens the window (by one until the first
    late one, then by one per window's worth); a survey that waits longer narrows it by a fifth, at most
    once per `target`. The window settles where the workers take new surveys as fast as they can while a
    task waits about `target` in the queue: a faster machine or a second worker widens it by itself.
    """

    def __init__(self, most: int, target: float, least: int = 2) -> None:
        self.most, self.target, self.least = most, target, least
        self.window = float(min(most, max(least, 4)))
        self._waiting: dict[int, float] = {}  # survey row -> when it was started
        self._narrowed: float | None = None  # when the window was last narrowed (None: never, slow start)

    def started(self, rows: list[int], at: float) -> None:
        """Surveys just started."""
        self._waiting.update(dict.fromkeys(rows, at))

    def room(self, pending: set[int], now: float) -> int:
        """Given which started surveys still wait for their first step, how many more may start now."""
        late = False
        for row in [r for r in self._waiting if r not in pending]:
            if now - self._waiting.pop(row) > self.target:
                late = True
            else:
                step = 1.0 if self._narrowed is None else 1 / self.window
                self.window = min(float(self.most), self.window + step)
        late = late or any(now - at > self.target for at in self._waiting.values())
        if late and (self._narrowed is None or now - self._narrowed >= self.target):
            self.window, self._narrowed = max(float(self.least), self.window * 0.8), now
        return max(0, int(self.window) - len(self._waiting))

    def waiting(self) -> int:
        """Surveys started and still waiting for their first step."""
        return len(self._waiting)

    def started_ids(self) -> list[int]:
        """The surveys still waiting for their first step, oldest first."""
        return list(self._waiting)
