"""Per-client sign-in throttle: after too many failed sign-ins from one address in a window, wait."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

TRACKED_CLIENTS = 10_000  # beyond this, addresses are forgotten: quiet ones first, then the oldest


class SignInThrottle:
    """Failed sign-ins per client address over a sliding window (one console process, in memory).

    It sits on top of the per-account lockout: that one stops guessing one account's password, this one
    stops one address from trying many accounts."""

    def __init__(self, failures: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.failures, self.window, self.clock = failures, window, clock
        self._seen: dict[str, deque[float]] = {}

    def attempt(self, client: str) -> int:
        """Seconds the client must wait before it may try again; 0 when it may try now, and then the attempt
        counts as failed until `succeeded` says otherwise (so a burst of parallel guesses is held too)."""
        recent = self._recent(client)
        if len(recent) >= self.failures:
            return max(1, math.ceil(recent[0] + self.window - self.clock()))
        self._count(client)
        return 0

    def succeeded(self, client: str) -> None:
        """The client's latest attempt signed in: it was no failure."""
        recent = self._recent(client)
        if recent:
            recent.pop()

    def _count(self, client: str) -> None:
        if len(self._seen) >= TRACKED_CLIENTS:
            for address in list(self._seen):
                if not self._recent(address):
                    del self._seen[address]
            while len(self._seen) >= TRACKED_CLIENTS:
                del self._seen[next(iter(self._seen))]
        self._seen.setdefault(client, deque()).append(self.clock())

    def _recent(self, client: str) -> deque[float]:
        times = self._seen.get(client, deque())
        horizon = self.clock() - self.window
        while times and times[0] <= horizon:
            times.popleft()
        return times
