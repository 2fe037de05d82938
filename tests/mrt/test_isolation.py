"""The parse child: a fresh interpreter that inherits no secrets from the worker's environment."""

from __future__ import annotations

import os
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
