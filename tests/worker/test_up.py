"""`minerals up` as a user runs it: prints addresses, writes settings.json, SIGTERM stops everything."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from temporalio.client import Client

MINERALS = [sys.executable, "-m", "cli.main"]


def wait_for(path: Path, text: str, proc: subprocess.Popen[str], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = path.read_text() if path.exists() else ""
        if text in content:
            return content
        assert proc.poll() is None, content
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not printed in time")


async def test_up_runs_the_stack_and_stops_cleanly(tmp_path: Path) -> None:
    data, log = tmp_path / "data", tmp_path / "up.log"
    env = {**os.environ, "MINERALS_DATA_DIR": str(data), "MINERALS_UPLOAD_SECRET": ""}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*MINERALS, "up", "--no-ui"], stdout=out, stderr=subprocess.STDOUT, env=env, text=True
        )
    try:
        printed = wait_for(log, "Press Ctrl-C", proc)
        settings = json.loads((data / "settings.json").read_text())
        assert settings["temporal_address"] in printed and str(settings["smtp_port"]) in printed
        assert len(settings["upload_secret"]) >= 32 and settings["upload_secret"] not in printed
        client = await Client.connect(settings["temporal_address"])
        assert await client.count_workflows() is not None

    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
    assert "Stopped." in log.read_text()
    with socket.socket() as probe:  # the dev server went with it
        assert probe.connect_ex(("127.0.0.1", int(settings["temporal_address"].split(":")[1]))) != 0
