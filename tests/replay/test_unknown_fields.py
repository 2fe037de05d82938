"""A newer worker's messages carry fields an older one does not know: every committed history replays
with an unknown field added to every message it holds (inputs, signals, updates, activity results)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows import WORKFLOWS

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))
JSON = base64.b64encode(b"json/plain").decode()


def _widen(value: Any) -> Any:
    """Every object of a decoded payload, nested ones too, with one field no message declares."""
    if isinstance(value, dict):
        return {**{k: _widen(v) for k, v in value.items()}, "added_by_a_newer_worker": {"n": 1}}
    if isinstance(value, list):
        return [_widen(v) for v in value]
    return value


def _with_unknown_fields(node: Any) -> int:
    """Rewrite every JSON payload under `node` in place; returns how many objects gained the field."""
    if isinstance(node, dict):
        if node.get("metadata", {}).get("encoding") == JSON and "data" in node:
            decoded = json.loads(base64.b64decode(node["data"]))
            if isinstance(decoded, dict | list):
                node["data"] = base64.b64encode(json.dumps(_widen(decoded)).encode()).decode()
                return 1
            return 0
        return sum(_with_unknown_fields(v) for v in node.values())
    if isinstance(node, list):
        return sum(_with_unknown_fields(v) for v in node)
    return 0


async def test_every_committed_history_replays_with_an_unknown_field_in_every_message() -> None:
    widened: dict[str, int] = {}

    async def histories() -> AsyncIterator[WorkflowHistory]:
        for path in HISTORIES:
            raw = json.loads(path.read_text())
            widened[path.stem] = _with_unknown_fields(raw["events"])
            yield WorkflowHistory.from_json(path.stem.split("--", 1)[1], raw)

    replayer = Replayer(workflows=WORKFLOWS, data_converter=pydantic_data_converter)
    results = await replayer.replay_workflows(histories(), raise_on_replay_failure=False)
    failed = {run_id: str(err)[:300] for run_id, err in results.replay_failures.items()}
    assert failed == {}
    assert len(widened) == len(HISTORIES) and all(n > 2 for n in widened.values())
