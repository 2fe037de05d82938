"""API tokens: created from the CLI (secret shown once, stored hashed), listed, revoked; bearer auth,
expiry, problem documents and the per-token rate limit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from api_kit import PROBLEM, Api, api_app, is_problem
from console_kit import Console
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from console.api.auth import RateLimit
from models.api_tokens import ApiToken
from models.audit import AuditEvent
from models.users import Role

runner = CliRunner()


def minerals(data_dir: Path, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_token_made_with_the_cli_reads_the_api_until_it_is_revoked(
    console: Console, tmp_path: Path
) -> None:
    out = minerals(
        tmp_path, "tokens", "create", "erp-sync", "--role", "analyst", "--expires", "90d", "--json"
    )
    created = json.loads(out)
    secret = created["secret"]
    assert created["role"] == "analyst" and created["status"] == "active" and created["expires_at"]
    with console.sessions() as session:
        stored = session.scalars(select(ApiToken)).one()
        assert secret not in (stored.secret_sha256, stored.prefix) and len(stored.secret_sha256) == 64
    listed = minerals(tmp_path, "tokens", "list")
    assert "erp-sync" in listed and "analyst" in listed and secret not in listed
    bearer = {"Authorization": f"Bearer {secret}"}
    assert console.client.get("/api/v1/cases", headers=bearer).status_code == 200

    minerals(tmp_path, "tokens", "revoke", "erp-sync")
    refused = is_problem(console.client.get("/api/v1/cases", headers=bearer), 401)
    assert "revoked" in refused["detail"]
    assert json.loads(minerals(tmp_path, "tokens", "list", "--json"))[0]["status"] == "revoked"
    with console.sessions() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject == "token:erp-sync"))
        assert list(actions) == ["token.created", "token.revoked"]


def test_bad_token_commands_say_what_is_wrong(console: Console, tmp_path: Path) -> None:
    minerals(tmp_path, "tokens", "create", "bi", "--role", "viewer")
    for args, said in [
        (["create", "bi", "--role", "viewer"], "already"),
        (["create", "bad name", "--role", "viewer"], "not a token name"),
        (["create", "x", "--role", "viewer", "--expires", "soon"], "not a duration"),
        (["revoke", "nobody"], "no token named"),
    ]:
        result = runner.invoke(app, ["tokens", *args, "--data-dir", str(tmp_path)])
        assert result.exit_code == 2 and said in result.output, result.output
        assert "Traceback" not in result.output


def test_requests_without_a_valid_token_get_a_problem_document(console: Console) -> None:
    api = Api(console)
    missing = console.client.get("/api/v1/cases")
    assert is_problem(missing, 401)["instance"] == "/api/v1/cases"
    assert missing.headers["www-authenticate"].startswith("Bearer")
    is_problem(console.client.get("/api/v1/cases", headers={"Authorization": "Bearer mnr_guess"}), 401)
    is_problem(console.client.get("/api/v1/cases", headers={"Authorization": "Basic eDp5"}), 401)
    with console.sessions.begin() as session:
        token = session.scalars(select(ApiToken).where(ApiToken.name == "viewer-bot")).one()
        token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    is_problem(api.call(Role.VIEWER, "GET", "/cases"), 401)
    assert api.call(Role.ANALYST, "GET", "/cases").status_code == 200
    unknown = api.call(Role.ANALYST, "GET", "/no/such/thing")
    assert is_problem(unknown, 404)["detail"].startswith("there is nothing")
    is_problem(api.call(Role.ANALYST, "GET", "/cases/12/extend"), 405)


def test_each_token_has_its_own_rate_limit(console: Console) -> None:
    api = Api(console)
    api_app(console).state.rate_limit = RateLimit(2, 60)
    assert api.call(Role.VIEWER, "GET", "/campaigns").status_code == 200
    assert api.call(Role.VIEWER, "GET", "/campaigns").status_code == 200
    limited = api.call(Role.VIEWER, "GET", "/campaigns")
    assert "rate" in is_problem(limited, 429)["type"] and int(limited.headers["retry-after"]) >= 1
    assert limited.headers["content-type"] == PROBLEM
    assert api.call(Role.ANALYST, "GET", "/campaigns").status_code == 200
