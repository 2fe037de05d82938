"""The web console and supplier portal: `create_app(settings)` builds the FastAPI application."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2_fragments.fastapi import Jinja2Blocks
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from temporalio.client import Client

from activities.links import LinkSigner
from console import (
    admin_routes,
    audit_routes,
    auth_routes,
    case_routes,
    corrective,
    portal,
    registry_routes,
    report_routes,
)
from console.gateway import Connect, Gateway
from console.render import page
from console.security import CsrfFailed, Forbidden, SignInRequired
from console.state import TEMPLATES, ConsoleState, derived_key
from models.case_indexes import gather_statistics
from models.db import make_engine, prepare_schema, session_factory
from models.settings import Settings, SettingsError

STATIC = Path(__file__).resolve().parent / "static"
SESSION_HOURS = 8
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # upload links carry their token in the path
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """Adds CSP and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(
    settings: Settings,
    *,
    sessions: sessionmaker[Session] | None = None,
    client: Client | None = None,
    connect: Connect | None = None,
    mail_reader: Callable[[Path], Sequence[Any]] | None = None,
) -> FastAPI:
    """The console app on the configured database; Temporal comes as a client or a way to connect, captured
    mail as a reader of the mail dir (both from the caller: the console does not import the worker)."""
    if len(settings.upload_secret) < 16:
        raise SettingsError(
            "MINERALS_UPLOAD_SECRET must be set (at least 16 characters); `minerals up` makes one"
        )
    if sessions is None:
        engine = make_engine(settings.resolved_database_url())
        prepare_schema(engine)
        gather_statistics(engine)
        sessions = session_factory(engine)
    app = FastAPI(title="Responsible Minerals console", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.console = ConsoleState(
        settings=settings,
        sessions=sessions,
        templates=Jinja2Blocks(directory=str(TEMPLATES)),
        links=LinkSigner(settings.upload_secret, settings.public_base_url),
        gateway=Gateway(connect, client),
        portal_key=derived_key(settings.upload_secret, "portal-csrf"),
        mail_reader=mail_reader,
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=derived_key(settings.upload_secret, "session"),
        session_cookie="minerals_session",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=settings.public_base_url.startswith("https://"),
    )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (
        auth_routes.router,
        case_routes.router,
        admin_routes.router,
        registry_routes.router,
        corrective.router,
        portal.router,
        report_routes.router,
        audit_routes.router,
    ):
        app.include_router(router)
    _handlers(app)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        if request.method == "GET":
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
        return _error(request, 401, "Please sign in first.")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, f"Not allowed: {exc.message}.")

    @app.exception_handler(CsrfFailed)
    async def csrf(request: Request, exc: CsrfFailed) -> Response:
        return _error(request, 403, "This form has expired. Reload the page and try again.")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))


def _error(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", {"status": status, "message": message}, status_code=status)
