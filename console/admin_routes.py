"""Captured mail of the embedded stack (analysts) and staff accounts (admins): add, change role,
deactivate or activate, reset password, unlock — each audited, through cases.accounts as the CLI does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases.accounts import (
    AccountError,
    aware,
    change_role,
    create_user,
    list_users,
    reset_password,
    set_active,
    unlock,
)
from console.render import page
from console.security import Staff, check_csrf, require
from console.state import state
from models.base import utcnow
from models.users import Role

router = APIRouter()
MAIL_SHOWN = 200
Admin = Annotated[Staff, Depends(require(Role.ADMIN))]
Password = Annotated[str, Form(max_length=200)]
DONE = {
    "added": "Account added.",
    "role": "Role changed.",
    "deactivated": "Account deactivated: its sessions have ended.",
    "activated": "Account active again.",
    "password": "Password reset: the account's sessions have ended; tell the person the new password.",
    "unlocked": "Account unlocked.",
}


@router.get("/mail", response_class=HTMLResponse)
def mail(
    request: Request, staff: Annotated[Staff, Depends(require(Role.ANALYST))], to: str = ""
) -> HTMLResponse:
    """What each supplier received (newest first); upload links are in it, so analysts only."""
    console = state(request)
    messages = list(console.mail_reader(console.mail_dir)) if console.mail_reader else []
    if to:
        messages = [m for m in messages if any(to.lower() in r.lower() for r in m.rcpt_tos)]
    shown = list(reversed(messages))[:MAIL_SHOWN]
    return page(request, "mail.html", {"staff": staff, "messages": shown, "to": to, "total": len(messages)})


def _users_page(request: Request, staff: Staff, done: str = "", error: str = "") -> HTMLResponse:
    now = utcnow()
    rows = [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role,
            "active": u.active,
            "locked": (aware(u.locked_until) or now) > now,
            "last_login": u.last_login_at,
        }
        for u in list_users(state(request).sessions)
    ]
    context = {
        "staff": staff,
        "users": rows,
        "roles": list(Role),
        "notice": DONE.get(done, ""),
        "error": error,
    }
    return page(request, "users.html", context, status_code=400 if error else 200)


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, staff: Admin, done: str = "") -> HTMLResponse:
    """Every staff account with its role, state and the forms to manage it."""
    return _users_page(request, staff, done)


async def _apply(
    request: Request,
    staff: Staff,
    done: str,
    change: Callable[[], object],
    own: tuple[int, str] | None = None,
) -> Response:
    """Run an account change (refused on one's own account when `own` names it and what it would do);
    the page again with the refusal in words when it is refused."""
    try:
        if own is not None and own[0] == staff.id:
            raise AccountError(f"you cannot {own[1]} your own account; ask another admin")
        await run_in_threadpool(change)
    except AccountError as exc:
        return await run_in_threadpool(_users_page, request, staff, "", str(exc))
    return RedirectResponse(f"/admin/users?done={done}", status_code=303)


@router.post("/admin/users", dependencies=[Depends(check_csrf)])
async def add(
    request: Request,
    staff: Admin,
    email: Annotated[str, Form(max_length=320)],
    role: Annotated[Role, Form()],
    password: Password,
) -> Response:
    """Add an account."""
    sessions = state(request).sessions
    return await _apply(
        request, staff, "added", lambda: create_user(sessions, email, role, password, actor=staff.email)
    )


@router.post("/admin/users/{user_id}/role", dependencies=[Depends(check_csrf)])
async def role(request: Request, user_id: int, staff: Admin, role: Annotated[Role, Form()]) -> Response:
    """Give an account another role."""
    sessions = state(request).sessions
    change = lambda: change_role(sessions, user_id, role, actor=staff.email)  # noqa: E731
    return await _apply(request, staff, "role", change, (user_id, "change the role of"))


@router.post("/admin/users/{user_id}/active", dependencies=[Depends(check_csrf)])
async def active(request: Request, user_id: int, staff: Admin, active: Annotated[bool, Form()]) -> Response:
    """Deactivate an account (its sessions end) or activate it again."""
    sessions = state(request).sessions
    change = lambda: set_active(sessions, user_id, active, actor=staff.email)  # noqa: E731
    return await _apply(
        request, staff, "activated" if active else "deactivated", change, (user_id, "deactivate")
    )


@router.post("/admin/users/{user_id}/password", dependencies=[Depends(check_csrf)])
async def password(request: Request, user_id: int, staff: Admin, password: Password) -> Response:
    """Set a new password (the person's sessions end)."""
    sessions = state(request).sessions
    return await _apply(
        request, staff, "password", lambda: reset_password(sessions, user_id, password, actor=staff.email)
    )


@router.post("/admin/users/{user_id}/unlock", dependencies=[Depends(check_csrf)])
async def unlock_user(request: Request, user_id: int, staff: Admin) -> Response:
    """Lift a lockout."""
    sessions = state(request).sessions
    return await _apply(request, staff, "unlocked", lambda: unlock(sessions, user_id, actor=staff.email))
