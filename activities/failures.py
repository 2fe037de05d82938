"""Repeated failures logged once a minute per kind and place, not once an attempt."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

EVERY = 60.0  # seconds between two log lines about the same failure


@dataclass
class _Seen:
    logged_at: float
    since: int = 0  # failures not logged since then


class FailureLog:
    """Logs the first failure of a kind at once, then at most one line a minute with how many followed.

    A relay that is down fails every email attempt; one line a minute says so as well as thousands would.
    """

    def __init__(
        self, logger: logging.Logger, every: float = EVERY, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._log = logger
        self._every = every
        self._clock = clock
        self._seen: dict[tuple[str, str], _Seen] = {}
        self._lock = threading.Lock()

    def failed(
        self, kind: str, where: str, message: str, exc_info: BaseException | None = None, **fields: object
    ) -> bool:
        """Note one failure of `kind` at `where` (a relay, an activity); True when it was logged now.

        `exc_info` is a traceback worth showing once: it goes with the logged line only.
        """
        now = self._clock()
        with self._lock:
            seen = self._seen.get((kind, where))
            if seen is not None and now - seen.logged_at < self._every:
                seen.since += 1
                return False
            repeated = seen.since if seen else 0
            self._seen[(kind, where)] = _Seen(now)
        extra = {"failure": kind, "where": where, "repeated": repeated, **fields}
        more = f" ({repeated} more since the last report)" if repeated else ""
        self._log.warning("%s at %s: %s%s", kind, where, message, more, extra=extra, exc_info=exc_info)
        return True

    def recovered(self, where: str) -> None:
        """`where` works again: say so if it had failed, and log its next failure at once."""
        with self._lock:
            gone = [key for key in self._seen if key[1] == where]
            for key in gone:
                del self._seen[key]
        if gone:
            self._log.info("%s works again", where, extra={"where": where})
