"""Errors of the JSON API as RFC 9457 problem documents (application/problem+json)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from cases.gateway import Refused, WorkflowUnavailable

log = logging.getLogger("minerals.api")
MEDIA_TYPE = "application/problem+json"
TYPES = "https://minerals.invalid/problems/"  # problem types name a page of the README, not a live URL


class Problem(Exception):
    """An error the client can act on: its HTTP status, a short kind and a sentence saying what to change."""

    def __init__(
        self, status: int, detail: str, kind: str = "", headers: dict[str, str] | None = None, **more: Any
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers, self.more = status, detail, headers or {}, more
        self.kind = kind or HTTPStatus(status).phrase.lower().replace(" ", "-")


def problem(
    request: Request,
    status: int,
    detail: str,
    kind: str = "",
    headers: dict[str, str] | None = None,
    **more: Any,
) -> JSONResponse:
    """A problem document response."""
    kind = kind or HTTPStatus(status).phrase.lower().replace(" ", "-")
    body = {
        "type": TYPES + kind,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **more,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    """Every error of the API app answers as a problem document."""

    @app.exception_handler(Problem)
    async def known(request: Request, exc: Problem) -> JSONResponse:
        return problem(request, exc.status, exc.detail, exc.kind, exc.headers, **exc.more)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        detail = str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = "there is nothing at this address; see /api/v1/openapi.json"
        return problem(request, exc.status_code, detail, headers=dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"where": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()]
        text = "; ".join(f"{e['where']}: {e['message']}" for e in errors)
        return problem(
            request, 422, f"the request could not be used: {text}", "invalid-request", errors=errors
        )

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> JSONResponse:
        return problem(request, 409, str(exc), "refused")

    @app.exception_handler(WorkflowUnavailable)
    async def temporal_down(request: Request, exc: WorkflowUnavailable) -> JSONResponse:
        log.warning("Temporal unreachable: %s", exc)
        return problem(
            request, 503, f"Temporal cannot be reached right now: {exc}", headers={"Retry-After": "30"}
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    async def database_down(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unreachable: %s", type(exc).__name__)
        return problem(
            request, 503, "the database cannot be reached right now", headers={"Retry-After": "30"}
        )

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        return problem(request, 500, "something went wrong on our side; it has been logged")
