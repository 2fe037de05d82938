"""Blocking work of activities (database, parsing) on the worker's own thread pool, heartbeating meanwhile."""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import Executor
from typing import ParamSpec, TypeVar

from temporalio import activity

P = ParamSpec("P")
T = TypeVar("T")
HEARTBEAT_EVERY = 5.0  # seconds; the server hears of a dead worker after the heartbeat timeout (30 s)


class Blocking:
    """Runs blocking calls on an explicit executor (the worker sizes it to its activity slots).

    Without one, asyncio's default pool is used: about six threads on two cores for fifty activity
    slots, so a few slow parses would queue every database write behind them.
    """

    def __init__(self, executor: Executor | None = None) -> None:
        self.executor = executor

    def _start(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> asyncio.Future[T]:
        # The caller's context goes along: activity info and the activity logger's fields.
        call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
        return asyncio.get_running_loop().run_in_executor(self.executor, call)

    async def __call__(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`fn(*args, **kwargs)` on the pool."""
        return await self._start(fn, *args, **kwargs)

    async def heartbeating(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Like calling, but heartbeats every few seconds until `fn` returns (long checks, assessments)."""
        future = self._start(fn, *args, **kwargs)
        while True:
            done, _ = await asyncio.wait({future}, timeout=HEARTBEAT_EVERY)
            if done:
                return future.result()
            activity.heartbeat()
