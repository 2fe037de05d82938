"""Staff accounts from the admin page: add, change role, deactivate, reset password, unlock; admins only,
each change audited, the last admin kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from console_kit import PASSWORD, Console
from sqlalchemy import select
from typer.testing import CliRunner, Result

from cases.accounts import AccountError, change_role
from cli.main import app
from models.audit import AuditEvent
from models.users import Role, User

NEW_PASSWORD = "a brand new passphrase 42"


def _id(console: Console, email: str) -> int:
    with console.sessions() as session:
        found = session.scalar(select(User.id).where(User.email == email))
        assert found is not None
        return found


def _audited(console: Console, action: str) -> list[tuple[str, str, object, object]]:
    with console.sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return [(e.actor, e.subject, e.before, e.after) for e in session.scalars(query)]


def test_only_admins_see_and_use_the_users_page(console: Console) -> None:
    analyst = _id(console, "analyst@company.test")
    for email in ("viewer@company.test", "analyst@company.test"):
        console.sign_in(email)
        assert console.client.get("/admin/users").status_code == 403
        token = console.csrf("/")
        data = {"csrf": token, "role": "admin"}
        assert console.client.post(f"/admin/users/{analyst}/role", data=data).status_code == 403
        assert (
            console.client.post(
                "/admin/users", data={**data, "email": "x@company.test", "password": PASSWORD}
            ).status_code
            == 403
        )
    console.sign_in("admin@company.test")
    assert (
        console.client.post(f"/admin/users/{analyst}/role", data={"role": "admin"}).status_code == 403
    )  # no CSRF
    assert _audited(console, "user.role-changed") == []


def test_admin_adds_changes_resets_deactivates_and_unlocks(console: Console) -> None:
    console.sign_in("admin@company.test")
    token = console.csrf("/admin/users")
    added = console.client.post(
        "/admin/users",
        data={"csrf": token, "email": "New@Company.test", "role": "viewer", "password": PASSWORD},
    )
    assert added.status_code == 200 and "Account added." in added.text and "new@company.test" in added.text
    again = console.client.post(
        "/admin/users",
        data={"csrf": token, "email": "new@company.test", "role": "viewer", "password": PASSWORD},
    )
    assert again.status_code == 400 and "already has an account" in again.text
    short = console.client.post(
        "/admin/users", data={"csrf": token, "email": "b@company.test", "role": "viewer", "password": "short"}
    )
    assert short.status_code == 400 and "at least 12 characters" in short.text
    new = _id(console, "new@company.test")
    assert (
        console.client.post(f"/admin/users/{new}/role", data={"csrf": token, "role": "analyst"}).status_code
        == 200
    )
    assert _audited(console, "user.role-changed") == [
        (
            "admin@company.test",
            f"user:{new}",
            {"role": "viewer", "active": True, "locked": False},
            {"role": "analyst", "active": True, "locked": False},
        )
    ]
    reset = console.client.post(
        f"/admin/users/{new}/password", data={"csrf": token, "password": NEW_PASSWORD}
    )
    assert "Password reset" in reset.text
    with console.sessions.begin() as session:  # locked out by failed sign-ins
        user = session.get(User, new)
        assert user is not None
        user.locked_until = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    page = console.client.get("/admin/users").text
    assert f'action="/admin/users/{new}/unlock"' in page
    assert "Account unlocked." in console.client.post(f"/admin/users/{new}/unlock", data={"csrf": token}).text
    gone = console.client.post(f"/admin/users/{new}/active", data={"csrf": token, "active": "false"})
    assert "Account deactivated" in gone.text and "deactivated" in gone.text
    assert [a[0] for a in _audited(console, "user.deactivated")] == ["admin@company.test"]
    assert len(_audited(console, "user.password-reset")) == len(_audited(console, "user.unlocked")) == 1

    assert console.sign_in("new@company.test", NEW_PASSWORD) != 303  # deactivated: no sign-in
    console.sign_in("admin@company.test")
    token = console.csrf("/admin/users")
    console.client.post(f"/admin/users/{new}/active", data={"csrf": token, "active": "true"})
    assert console.sign_in("new@company.test", PASSWORD) != 303  # the old password no longer works
    assert console.sign_in("new@company.test", NEW_PASSWORD) == 303
    assert console.client.get("/cases").status_code == 200  # an analyst now


def test_the_last_admin_and_ones_own_account_are_kept(console: Console) -> None:
    admin = _id(console, "admin@company.test")
    console.sign_in("admin@company.test")
    token = console.csrf("/admin/users")
    own = console.client.post(f"/admin/users/{admin}/active", data={"csrf": token, "active": "false"})
    assert own.status_code == 400 and "your own account" in own.text
    analyst = _id(console, "analyst@company.test")
    console.client.post(f"/admin/users/{analyst}/role", data={"csrf": token, "role": "admin"})
    console.sign_in("analyst@company.test")
    token = console.csrf("/admin/users")
    assert (
        console.client.post(f"/admin/users/{admin}/role", data={"csrf": token, "role": "viewer"}).status_code
        == 200
    )
    last = console.client.post(f"/admin/users/{admin}/active", data={"csrf": token, "active": "false"})
    assert last.status_code == 200  # the analyst is an admin now, so another one remains
    with pytest.raises(AccountError, match="last active admin"):  # the CLI shares the rule
        change_role(console.sessions, analyst, Role.VIEWER, actor="cli")
    missing = console.client.post("/admin/users/99999999999999999999/unlock", data={"csrf": token})
    assert missing.status_code == 400 and "there is no account" in missing.text


def test_the_cli_manages_accounts_with_the_same_rules(tmp_path: Path) -> None:
    def users(*args: str, stdin: str = "") -> Result:
        return CliRunner().invoke(app, ["users", *args, "--data-dir", str(tmp_path)], input=stdin)

    assert users("add", "boss@company.test", "--role", "admin", stdin=PASSWORD + "\n").exit_code == 0
    assert users("add", "ann@company.test", "--role", "viewer", stdin=PASSWORD + "\n").exit_code == 0
    assert "ann@company.test is analyst" in users("role", "Ann@Company.test", "--role", "analyst").output
    last = users("role", "boss@company.test", "--role", "viewer")
    assert last.exit_code == 2 and "last active admin" in last.output
    assert "is deactivated" in users("deactivate", "ann@company.test").output
    assert "is active" in users("activate", "ann@company.test").output
    assert "reset" in users("reset-password", "ann@company.test", stdin=NEW_PASSWORD + "\n").output
    assert "unlocked" in users("unlock", "ann@company.test").output
    missing = users("unlock", "nobody@company.test")
    assert missing.exit_code == 2 and "no account" in missing.output
