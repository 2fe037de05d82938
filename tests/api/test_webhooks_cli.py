"""`minerals webhooks`: add prints the secret once, list shows the last delivery, test and remove; bad
input gets a clear message. (Deliveries themselves: tests/workflows/test_webhooks.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def minerals(data_dir: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def test_webhooks_are_added_listed_tested_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINERALS_TEMPORAL_ADDRESS", "127.0.0.1:1")  # nothing listens: events wait
    out = minerals(
        tmp_path, "webhooks", "add", "https://erp.test/hooks", "--events", "case.stage_changed", "--json"
    )
    added = json.loads(out.splitlines()[0])
    assert added["secret"].startswith("whsec_") and added["events"] == ["case.stage_changed"]
    assert "did not start the webhook dispatcher" in out
    listed = minerals(tmp_path, "webhooks", "list")
    assert (
        "https://erp.test/hooks" in listed and "no delivery yet" in listed and added["secret"] not in listed
    )
    assert "Test event recorded" in minerals(tmp_path, "webhooks", "test", str(added["id"]))
    minerals(tmp_path, "webhooks", "remove", str(added["id"]))
    assert json.loads(minerals(tmp_path, "webhooks", "list", "--json")) == []


def test_bad_webhook_input_is_refused_clearly(tmp_path: Path) -> None:
    said = minerals(tmp_path, "webhooks", "add", "https://x.test", "--events", "case.exploded", code=2)
    assert "unknown event(s) case.exploded" in said
    assert "not an http(s) URL" in minerals(
        tmp_path, "webhooks", "add", "ftp://x", "--events", "action.opened", code=2
    )
    assert "no webhook 7" in minerals(tmp_path, "webhooks", "remove", "7", code=2)
