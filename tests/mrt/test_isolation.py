"""The parse child: a fresh interpreter that inherits no secrets from the worker's environment."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from hostile_kit import template

from mrt.isolation import ParsePool
from mrt.reader import read

SECRETS = {
    "MINERALS_DATABASE_URL": "postgresql://minerals:hunter2@db/minerals",
    "MINERALS_SMTP_PASSWORD": "hunter2",
    "AWS_SECRET_ACCESS_KEY": "not-for-parsers",
    "PYTHONPATH": "/nowhere",  # nor the parent's import settings
}


def test_child_sees_no_secret_of_the_parent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    pool = ParsePool(size=1)  # started after the secrets were set: it would inherit them
    try:
        assert {name: pool.call(os.getenv, name) for name in SECRETS} == dict.fromkeys(SECRETS)
        assert pool.call(os.getenv, "PATH") == os.defpath
        # With nothing inherited, it still runs this checkout's reader on an upload.
        assert read(template(tmp_path), pool=pool).company["name"].value == "Example Co"
    finally:
        pool.close()


def test_ctrl_c_in_the_terminal_leaves_the_parse_children_to_their_parent(
    capfd: pytest.CaptureFixture[str],
) -> None:
    pool = ParsePool(size=1)
    try:
        pool.warm()
        child = pool._idle.queue[0].process
        os.kill(child.pid, signal.SIGINT)  # what a terminal's Ctrl-C sends every process of the group
        time.sleep(0.5)
        assert child.poll() is None  # it neither died mid-file nor printed a traceback
        assert pool.call(int, "7") == 7
    finally:
        pool.close()
    assert "Traceback" not in capfd.readouterr().err
