"""Integrations in the console: API tokens and webhooks, each webhook with its last delivery's status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from cases.api_tokens import list_tokens, token_row
from cases.webhooks import webhook_rows
from console.render import page
from console.security import Staff, require
from console.state import state
from models.users import Role

router = APIRouter()
Admin = Annotated[Staff, Depends(require(Role.ADMIN))]


@router.get("/admin/integrations", response_class=HTMLResponse)
def integrations(request: Request, staff: Admin) -> HTMLResponse:
    """Every API token (never its secret) and every webhook with how its last delivery went."""
    console = state(request)
    tokens = [token_row(t) for t in list_tokens(console.sessions)]
    with console.sessions() as session:
        hooks = webhook_rows(session)
    return page(request, "integrations.html", {"staff": staff, "tokens": tokens, "webhooks": hooks})
