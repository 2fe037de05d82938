"""`minerals users`: staff accounts of the web console (add, role, deactivate, activate, reset-password,
unlock; passwords from a prompt or stdin), the same account logic as the console's admin page."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from cases.accounts import (
    AccountError,
    add_user,
    change_role,
    find_user,
    list_users,
    reset_password,
    set_active,
    unlock,
)
from cli.context import DataDir, fail, out, sessions, settings_for
from models.users import Role, User

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


Email = Annotated[str, typer.Argument(help="The account's email.")]


def _change(data_dir: str | None, email: str, change: Callable[[sessionmaker[Session], int], User]) -> User:
    factory = sessions(settings_for(data_dir))
    try:
        return change(factory, find_user(factory, email).id)
    except AccountError as exc:
        fail(str(exc), 2)


@app.command()
def role(
    email: Email,
    new_role: Annotated[Role, typer.Option("--role", help="viewer, analyst or admin.")],
    data_dir: DataDir = None,
) -> None:
    """Give an account another role (the last active admin keeps theirs)."""
    user = _change(data_dir, email, lambda f, i: change_role(f, i, new_role, actor="cli"))
    out.print(f"User {user.email} is {user.role}.")


@app.command()
def deactivate(email: Email, data_dir: DataDir = None) -> None:
    """Deactivate an account: its sessions end and it cannot sign in."""
    user = _change(data_dir, email, lambda f, i: set_active(f, i, False, actor="cli"))
    out.print(f"User {user.email} is deactivated.")


@app.command()
def activate(email: Email, data_dir: DataDir = None) -> None:
    """Let a deactivated account sign in again."""
    user = _change(data_dir, email, lambda f, i: set_active(f, i, True, actor="cli"))
    out.print(f"User {user.email} is active.")


@app.command("reset-password")
def reset_password_(
    email: Email,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Set a new password: the account's sessions end and a lockout is lifted."""
    password = _password(password_stdin)
    user = _change(data_dir, email, lambda f, i: reset_password(f, i, password, actor="cli"))
    out.print(f"Password of {user.email} reset.")


@app.command("unlock")
def unlock_(email: Email, data_dir: DataDir = None) -> None:
    """Lift a lockout after repeated failed sign-ins."""
    user = _change(data_dir, email, lambda f, i: unlock(f, i, actor="cli"))
    out.print(f"User {user.email} is unlocked.")
