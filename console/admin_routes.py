"""Captured mail of the embedded stack (analysts) and staff accounts (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.accounts import aware, list_users, unlock
from console.render import page
from console.security import Staff, check_csrf, require
from console.state import state
from models.base import utcnow
from models.users import Role

router = APIRouter()
MAIL_SHOWN = 200


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


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, staff: Annotated[Staff, Depends(require(Role.ADMIN))]) -> HTMLResponse:
    """Every staff account with its role and lock state."""
    now = utcnow()
    rows = [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role,
            "locked": (aware(u.locked_until) or now) > now,
            "last_login": u.last_login_at,
        }
        for u in list_users(state(request).sessions)
    ]
    return page(request, "users.html", {"staff": staff, "users": rows})


@router.post("/admin/users/{user_id}/unlock", dependencies=[Depends(check_csrf)])
def unlock_user(
    request: Request, user_id: int, staff: Annotated[Staff, Depends(require(Role.ADMIN))]
) -> Response:
    """Lift a lockout."""
    unlock(state(request).sessions, user_id, actor=staff.email)
    return RedirectResponse("/admin/users", status_code=303)
