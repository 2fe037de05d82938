"""`minerals users add`: staff accounts of the web console (argon2 password from a prompt or stdin)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.context import DataDir, fail, out, sessions, settings_for
from console.accounts import AccountError, add_user, list_users
from models.users import Role

app = typer.Typer(help="Staff accounts of the web console.", no_args_is_help=True)


def _password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Repeat password", hide_input=True) != first:
        fail("the two passwords differ", 2)
    return str(first)


@app.command()
def add(
    email: Annotated[str, typer.Argument(help="The staff member's email; it is the sign-in name.")],
    role: Annotated[Role, typer.Option("--role", help="viewer reads; analyst decides; admin manages.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Create an account, or change an existing one's role and password (its sessions end)."""
    factory = sessions(settings_for(data_dir))
    try:
        user = add_user(factory, email, role, _password(password_stdin), actor="cli")
    except AccountError as exc:
        fail(str(exc), 2)
    out.print(f"User {user.email} is {user.role}.")


@app.command("list")
def list_(data_dir: DataDir = None) -> None:
    """Every account with its role."""
    for user in list_users(sessions(settings_for(data_dir))):
        out.print(f"{user.email}\t{user.role}", markup=False, highlight=False)
