"""A worker whose SDK shutdown never finishes still stops, after its grace time and a margin, and says so."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, cast

import pytest
from temporalio.worker import Worker

import worker.main
from worker.main import run_workers


class StuckWorker:
    """Stands in for a Temporal worker whose shutdown waits on a task it lost (an SDK fault)."""

    def __init__(self) -> None:
        self.stopped = asyncio.Event()

    async def run(self) -> None:
        await self.stopped.wait()

    async def shutdown(self) -> None:
        await asyncio.Event().wait()  # never returns

    def config(self) -> dict[str, Any]:
        return {"graceful_shutdown_timeout": dt.timedelta(seconds=0.2)}


async def test_a_shutdown_that_never_ends_is_given_up_after_the_grace_time(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(worker.main, "SHUTDOWN_MARGIN", dt.timedelta(seconds=0.3))
    stop = asyncio.Event()
    running = asyncio.create_task(run_workers([cast(Worker, StuckWorker())], stop))
    stop.set()
    with caplog.at_level(logging.ERROR, logger="minerals.worker"):
        await asyncio.wait_for(running, 10)
    assert "worker shutdown did not finish within 0:00:00.500000" in caplog.text
