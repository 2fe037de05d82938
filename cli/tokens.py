"""`minerals tokens`: bearer tokens of the JSON API (create shows the secret once; list; revoke)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.context import By, DataDir, Json, acting, fail, hint, say, sessions, settings_for
from models.users import Role

app = typer.Typer(help="Tokens of the JSON API under /api/v1: create, list, revoke.", no_args_is_help=True)
Name = Annotated[
    str, typer.Argument(help="The token's name; the audit trail shows its writes as token:NAME.")
]


@app.command()
def create(
    name: Name,
    role: Annotated[Role, typer.Option("--role", help="viewer reads; analyst decides; admin manages.")],
    expires: Annotated[
        str, typer.Option("--expires", help="Lifetime like 90d or 12h; default: until revoked.")
    ] = "",
    as_json: Json = False,
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Create a token and print its secret: it is shown this once and stored hashed."""
    from cases.api_tokens import TokenError, create_token, token_row
    from models.settings import parse_duration

    settings = settings_for(data_dir)
    try:
        lifetime = parse_duration(expires) if expires else None
    except ValueError as exc:
        fail(f"--expires: {exc}", 2)
    try:
        token, secret = create_token(sessions(settings), name, role, actor=acting(by), expires_in=lifetime)
    except TokenError as exc:
        fail(str(exc), 2)
    if as_json:
        typer.echo(json.dumps({**token_row(token), "secret": secret}, indent=2))
        return
    say(f"Token {token.name} ({token.role}) created; its secret, shown only now:")
    say(secret)
    say(f"Use it as: curl -H 'Authorization: Bearer {secret[:8]}…' {settings.public_base_url}/api/v1/cases")
    say(f"Revoke it with: {hint(settings, f'minerals tokens revoke {token.name}')}")


@app.command("list")
def list_(as_json: Json = False, data_dir: DataDir = None) -> None:
    """Every token: name, role, status, expiry and last use (never the secret)."""
    from cases.api_tokens import list_tokens, token_row

    rows = [token_row(t) for t in list_tokens(sessions(settings_for(data_dir)))]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        say(
            f"{row['name']}\t{row['role']}\t{row['status']}\t{row['prefix']}…\t"
            f"expires {row['expires_at'] or 'never'}\tlast used {row['last_used_at'] or 'never'}"
        )
    say(f"{len(rows)} token(s)")


@app.command()
def revoke(name: Name, by: By = "", data_dir: DataDir = None) -> None:
    """Stop a token working at once."""
    from cases.api_tokens import TokenError, revoke_token

    try:
        token = revoke_token(sessions(settings_for(data_dir)), name, actor=acting(by))
    except TokenError as exc:
        fail(str(exc), 2)
    say(f"Token {token.name} is revoked.")
