"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from cases.accounts import LOCK_FOR, MAX_FAILURES, authenticate, sign_out_everywhere
from console.render import page
from console.security import Staff, check_csrf, current_staff, start_session
from console.state import state
from console.throttle import SignInThrottle

router = APIRouter()


def _safe_next(target: str) -> str:
    """Only local paths: an open redirect would let a phishing link bounce through us."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return page(request, "login.html", {"next": _safe_next(next), "error": ""})


@router.post("/login", dependencies=[Depends(check_csrf)])
async def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (argon2, off the event loop); lock the account after repeated failures, and make
    a client address that failed too often wait (429) before any password is checked."""
    throttle: SignInThrottle = request.app.state.signin_throttle
    client = request.client.host if request.client else "unknown"  # the proxy's client with --proxy-headers
    wait = throttle.attempt(client)
    if wait:
        minutes = max(1, round(wait / 60))
        error = f"Too many failed sign-ins from this address. Try again in {minutes} minute(s)."
        context = {"next": _safe_next(next), "error": error, "email": email}
        response = page(request, "login.html", context, status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    user = await run_in_threadpool(authenticate, state(request).sessions, email, password)
    if user is None:
        error = (
            f"Sign-in failed: wrong email or password. After {MAX_FAILURES} failed attempts an account "
            f"is locked for {int(LOCK_FOR.total_seconds() // 60)} minutes."
        )
        context = {"next": _safe_next(next), "error": error, "email": email}
        return page(request, "login.html", context, status_code=401)
    throttle.succeeded(client)
    start_session(request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, staff: Annotated[Staff, Depends(current_staff)]) -> Response:
    """Sign out: this cookie and every other copy of it stop working."""
    sign_out_everywhere(state(request).sessions, staff.id)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
