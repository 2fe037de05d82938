"""Who is signed in, what their role allows, and the CSRF token every form carries."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from fastapi import Depends, Request

from console.state import state
from models.users import Role, User


class SignInRequired(Exception):
    """No valid session: pages redirect to the sign-in page, actions get 401."""


class Forbidden(Exception):
    """Signed in, but the role does not allow this."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CsrfFailed(Exception):
    """A form arrived without the session's CSRF token."""


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member."""

    id: int
    email: str
    role: Role

    def can(self, needed: Role) -> bool:
        """True when the role allows what `needed` may do."""
        return self.role.allows(needed)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Reject a state-changing request whose form field or X-CSRF-Token header lacks the session token."""
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf")
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfFailed()


def current_staff(request: Request) -> Staff:
    """The signed-in staff member; the cookie must name an active account of the same session epoch."""
    user_id, epoch = request.session.get("user"), request.session.get("epoch")
    if not isinstance(user_id, int) or not isinstance(epoch, int):
        raise SignInRequired()
    with state(request).sessions() as session:
        user = session.get(User, user_id)
    if user is None or not user.active or user.session_epoch != epoch:
        request.session.clear()
        raise SignInRequired()
    return Staff(user.id, user.email, Role(user.role))


def require(needed: Role):  # type: ignore[no-untyped-def]
    """A dependency that lets through staff whose role allows `needed`."""

    def dependency(staff: Staff = Depends(current_staff)) -> Staff:  # noqa: B008
        if not staff.can(needed):
            raise Forbidden(f"this needs the {needed.value} role; you are {staff.role.value}")
        return staff

    return dependency


def start_session(request: Request, user: User) -> None:
    """A fresh session for a user who just signed in (new CSRF token too)."""
    request.session.clear()
    request.session.update({"user": user.id, "epoch": user.session_epoch, "csrf": secrets.token_urlsafe(32)})
