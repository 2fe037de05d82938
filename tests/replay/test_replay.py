"""Replay every committed history with today's workflow code: a change of command order fails here.

Regenerate with `MINERALS_CAPTURE_HISTORIES=1 python -m pytest tests/workflows`, but keep the old files:
they are the runs already in flight when a new version is deployed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows import WORKFLOWS

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


async def histories() -> AsyncIterator[WorkflowHistory]:
    for path in HISTORIES:
        yield WorkflowHistory.from_json(path.stem.split("--", 1)[1], path.read_text())


async def test_every_committed_history_replays() -> None:
    assert {p.stem.split("--")[1].split("-")[0] for p in HISTORIES} == {
        "survey",
        "campaign",
        "capa",
        "registry",
        "outreach",
        "webhook",
    }
    replayer = Replayer(workflows=WORKFLOWS, data_converter=pydantic_data_converter)
    results = await replayer.replay_workflows(histories(), raise_on_replay_failure=False)
    failed = {run_id: str(err) for run_id, err in results.replay_failures.items()}
    assert failed == {}
