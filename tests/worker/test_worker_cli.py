"""`minerals worker`: bad values stop it with one clear line; SIGTERM lets a running email finish."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from survey_kit import SECRET, free_port
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner
from worker_kit import address, eventually, start_survey, worker_settings

from cli.main import app
from models.outbox import EmailMessage

MINERALS = [sys.executable, "-m", "cli.main"]
runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--queues", "mail"], {}, "--queues must be one of all, workflows, email; got 'mail'"),
        ([], {"MINERALS_GRACEFUL_SHUTDOWN": "soon"}, "MINERALS_GRACEFUL_SHUTDOWN must be a duration"),
        ([], {"MINERALS_EMAIL_PER_SECOND": "0"}, "MINERALS_EMAIL_PER_SECOND must be above 0"),
        ([], {"MINERALS_EMAIL_PER_SECOND": "fast"}, "MINERALS_EMAIL_PER_SECOND must be a number"),
        ([], {"MINERALS_LOG_FORMAT": "xml"}, "MINERALS_LOG_FORMAT must be text or json"),
        ([], {"MINERALS_METRICS_BIND": "9464"}, "MINERALS_METRICS_BIND must be host:port"),
    ],
)
def test_bad_values_stop_the_worker_with_one_line(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    # The Temporal address is unreachable: a value check that came too late would fail differently.
    env = {"MINERALS_TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}", **env}
    result = runner.invoke(app, ["worker", *args, "--data-dir", str(tmp_path)], env=env)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


class SlowRelay:
    """An SMTP server that holds each message until released, so an email activity stays in flight."""

    def __init__(self) -> None:
        self.entered, self.release = threading.Event(), threading.Event()
        self.received: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.entered.set()
        await asyncio.to_thread(self.release.wait, 120)
        self.received.append(envelope.content)
        return "250 OK"


def read_log(path: Path) -> list[dict[str, Any]]:
    """Every complete JSON line the worker wrote so far (each must parse)."""
    complete = path.read_text().split("\n")[:-1]  # the last piece is empty or still being written
    return [json.loads(line) for line in complete if line.strip()]


async def logged(path: Path, message: str, proc: subprocess.Popen[bytes]) -> list[dict[str, Any]]:
    """Wait until the worker logs `message` (or exits)."""
    return await eventually(
        lambda: asyncio.sleep(0, read_log(path)),
        lambda lines: any(line["message"].startswith(message) for line in lines) or proc.poll() is not None,
    )


async def test_sigterm_lets_a_running_email_finish(
    temporal: WorkflowEnvironment, tmp_path: Path, database_url: str, sessions: sessionmaker[Session]
) -> None:
    relay, port = SlowRelay(), free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    settings = worker_settings(tmp_path, address(temporal), database_url, port)
    env = {
        **os.environ,
        **{f"MINERALS_{k.upper()}": str(v) for k, v in vars(settings).items() if v != ""},
        "MINERALS_LOG_FORMAT": "json",
        "MINERALS_GRACEFUL_SHUTDOWN": "2m",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([*MINERALS, "worker"], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        started = await logged(log, "worker started", proc)
        assert proc.poll() is None, log.read_text()
        (line,) = [line for line in started if line["message"] == "worker started"]
        assert line["task_queues"] == [settings.task_queue, f"{settings.task_queue}-email"]
        # The campaign sends the request before it starts the survey: no waiting for the survey here.
        await start_survey(temporal, settings, sessions, "G1", wait=False)
        assert await asyncio.to_thread(relay.entered.wait, 60), log.read_text()
        proc.send_signal(signal.SIGTERM)  # the request email is in the middle of its SMTP exchange
        await logged(log, "worker shutting down", proc)
        assert proc.poll() is None, log.read_text()  # still waiting for the running activity
        relay.release.set()
        assert await asyncio.to_thread(proc.wait, 120) == 0, log.read_text()
    finally:
        relay.release.set()
        if proc.poll() is None:
            proc.kill()
        controller.stop()
    lines = read_log(log)
    messages = [line["message"] for line in lines]
    assert "received SIGTERM, stopping" in messages and messages[-1] == "worker stopped"
    assert len(relay.received) == 1
    with sessions() as session:  # the activity was not cancelled: it recorded the send after SMTP said 250
        (sent_at,) = session.scalars(select(EmailMessage.sent_at))
    assert sent_at is not None
    assert SECRET not in log.read_text()
