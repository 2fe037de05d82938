"""Test kit of the API tests: one token per role on a console, and requests that carry them."""

from __future__ import annotations

from typing import Any, cast

import httpx
from console_kit import Console
from fastapi import FastAPI
from starlette.routing import Mount

from cases.api_tokens import create_token
from models.users import Role

ROLES = (Role.VIEWER, Role.ANALYST, Role.ADMIN)
PROBLEM = "application/problem+json"


class Api:
    """Requests to /api/v1 with a role's token."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.secrets = {
            role: create_token(console.sessions, f"{role.value}-bot", role, actor="test")[1] for role in ROLES
        }

    def call(self, role: Role | None, method: str, path: str, **kw: Any) -> httpx.Response:
        """One request as the token of `role` (None: no token)."""
        headers = {"Authorization": f"Bearer {self.secrets[role]}"} if role else {}
        return self.console.client.request(method, f"/api/v1{path}", headers=headers, **kw)


def api_app(console: Console) -> FastAPI:
    """The API app the console mounts at /api/v1."""
    mounts = [r for r in console.client.app.routes if isinstance(r, Mount) and r.path == "/api/v1"]  # type: ignore[attr-defined]
    return cast(FastAPI, mounts[0].app)


def is_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response's problem document, checked to be one with this status."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body
