"""Render a page (or one block of it for htmx) with what every template needs."""

from __future__ import annotations

from typing import Any, cast

from fastapi import Request
from fastapi.responses import HTMLResponse

from console.security import csrf_token
from console.state import state


def page(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    block: str | None = None,
) -> HTMLResponse:
    """The template `name` with the request, CSRF token and signed-in staff member in its context."""
    ctx = {"request": request, "csrf": csrf_token(request), "staff": None, **(context or {})}
    templates = state(request).templates
    if block is not None:
        made = templates.TemplateResponse(request, name, ctx, status_code=status_code, block_name=block)
    else:
        made = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    return cast(HTMLResponse, made)  # Starlette's template response is an HTMLResponse


def is_htmx(request: Request) -> bool:
    """True when htmx asked for a fragment."""
    return request.headers.get("hx-request") == "true"
