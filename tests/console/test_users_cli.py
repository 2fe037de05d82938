"""`minerals users add` creates accounts the console signs in with; `minerals console` needs a secret."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app
from console.app import create_app
from models.settings import load_settings

runner = CliRunner()
PASSWORD = "a long enough password"


def test_users_add_from_stdin_then_sign_in_and_role_change(tmp_path: Path) -> None:
    args = ["users", "add", "Lead@Company.test", "--role", "analyst", "--data-dir", str(tmp_path)]
    made = runner.invoke(app, args, input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert "lead@company.test is analyst" in made.output
    short = runner.invoke(
        app,
        ["users", "add", "x@company.test", "--role", "viewer", "--data-dir", str(tmp_path)],
        input="short\n",
    )
    assert short.exit_code == 2 and "at least 12 characters" in short.output
    settings = load_settings(data_dir=str(tmp_path), upload_secret="cli-test-secret-0123456789")
    with TestClient(create_app(settings)) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
        assert token
        data = {"email": "lead@company.test", "password": PASSWORD, "csrf": token.group(1)}
        assert client.post("/login", data=data, follow_redirects=False).status_code == 303
        assert client.get("/mail").status_code == 200  # analyst
        args[4] = "viewer"
        assert runner.invoke(app, args, input=PASSWORD + "\n").exit_code == 0
        # A changed account ends its sessions: the old cookie no longer signs in.
        assert client.get("/", follow_redirects=False).status_code == 303
    listed = runner.invoke(app, ["users", "list", "--data-dir", str(tmp_path)])
    assert listed.output.split() == ["lead@company.test", "viewer"]


def test_console_refuses_to_start_without_an_upload_secret(tmp_path: Path) -> None:
    result = runner.invoke(app, ["console", "--data-dir", str(tmp_path)], env={"MINERALS_UPLOAD_SECRET": ""})
    assert result.exit_code == 2
    assert "MINERALS_UPLOAD_SECRET" in result.output
