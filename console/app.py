"""The web console and supplier portal: `create_app(settings)` builds the FastAPI application."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2_fragments.fastapi import Jinja2Blocks
from sqlalchemy.exc import DataError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from temporalio.client import Client

from activities.links import LinkSigner
from cases.gateway import Connect, Gateway, WorkflowUnavailable
from console import (
    admin_routes,
    annual_routes,
    audit_routes,
    auth_routes,
    bulk_routes,
    campaign_routes,
    case_routes,
    corrective,
    customer_routes,
    dashboard,
    integration_routes,
    portal,
    refresh_routes,
    registry_routes,
    report_routes,
    sso_routes,
    supplier_routes,
)
from console.api import create_api
from console.portal_text import browser_language, words
from console.render import page
from console.security import CsrfFailed, Forbidden, SignInRequired, Staff, current_staff
from console.state import TEMPLATES, ConsoleState, derived_key, state
from console.throttle import SignInThrottle
from models.case_indexes import gather_statistics
from models.db import make_engine, prepare_schema, session_factory
from models.settings import Settings, SettingsError

log = logging.getLogger("minerals.console")

STATIC = Path(__file__).resolve().parent / "static"
SESSION_HOURS = 8
NOT_FOUND = "There is no page at this address."
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
    app.state.signin_throttle = SignInThrottle(settings.signin_throttle_failures, _throttle_window(settings))
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
        dashboard.router,
        bulk_routes.router,
        case_routes.router,
        admin_routes.router,
        registry_routes.router,
        refresh_routes.router,
        corrective.router,
        portal.router,
        report_routes.router,
        annual_routes.router,
        customer_routes.router,
        audit_routes.router,
        supplier_routes.router,
        campaign_routes.router,
        integration_routes.router,
        sso_routes.router,
    ):
        app.include_router(router)
    app.mount("/api/v1", create_api(app.state.console))
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
        unknown = exc.status_code == 404 and exc.detail == "Not Found"  # no route: Starlette's own words
        response = _error(request, exc.status_code, NOT_FOUND if unknown else str(exc.detail))
        response.headers.update(exc.headers or {})  # e.g. Allow on a 405
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if any(error["loc"][:1] == ("path",) for error in exc.errors()):
            return _error(request, 404, NOT_FOUND)  # /cases/abc names nothing
        problems = [_problem(error) for error in exc.errors()]
        return _error(request, 422, "This request could not be used:", problems)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        if not _beyond_ids(exc):
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
            return _failed(request)
        return _error(request, 404, "Nothing has that number: it is beyond any id the database holds.")

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> Response:
        return _failed(request)  # Starlette raises it again after this, so the server logs it

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    async def database_down(request: Request, exc: Exception) -> Response:
        log.warning("database unreachable: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return _unavailable(request, "the database")

    @app.exception_handler(WorkflowUnavailable)
    async def temporal_down(request: Request, exc: WorkflowUnavailable) -> Response:
        log.warning("Temporal unreachable: %s", exc)
        return _unavailable(request, "Temporal")


def _unavailable(request: Request, what: str) -> HTMLResponse:
    """503 while the database or Temporal does not answer: the portal in the browser's language (the
    supplier's own is in the database), the console in English; both ask to retry shortly."""
    if request.url.path.startswith("/upload/"):
        lang = browser_language(request.headers.get("accept-language", ""))
        text = words(lang)
        context = {"title": text["down_title"], "message": text["down"], "lang": lang, "t": text}
    else:
        message = f"{what} cannot be reached right now. Try again in a minute."
        context = {"title": "Temporarily unavailable", "message": message[0].upper() + message[1:]}
    response = page(request, "unavailable.html", context, status_code=503)
    response.headers["Retry-After"] = "30"
    return response


def _throttle_window(settings: Settings) -> float:
    try:
        return settings.signin_throttle_period().total_seconds()
    except ValueError as exc:
        raise SettingsError(f"MINERALS_SIGNIN_THROTTLE_WINDOW: {exc}") from None


def _beyond_ids(exc: Exception) -> bool:
    """A number in the request beyond the database's integer range (SQLite raises before the query,
    PostgreSQL answers numeric_value_out_of_range): nothing can have that id."""
    if isinstance(exc, OverflowError):
        return "SQLite INTEGER" in str(exc)
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == "22003"


def _problem(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"][1:]) or str(error["loc"][0])
    return f"{where}: {error['msg']}"


def _signed_in(request: Request) -> Staff | None:
    """The staff member behind the request, if any: an error page keeps their navigation."""
    try:
        return current_staff(request)
    except (SignInRequired, SQLAlchemyError):
        return None


def _error(request: Request, status: int, message: str, problems: Sequence[str] = ()) -> HTMLResponse:
    context = {"status": status, "message": message, "problems": problems, "staff": _signed_in(request)}
    return page(request, "error.html", context, status_code=status)


def _failed(request: Request) -> HTMLResponse:
    """500 as a page; it is made outside the middleware, so it carries the security headers itself."""
    context = {"request": request, "csrf": "", "staff": None, "status": 500, "problems": ()}
    context["message"] = "Something went wrong on our side. It has been logged; please try again later."
    response = state(request).templates.TemplateResponse(request, "error.html", context, status_code=500)
    response.headers.update({name.decode(): value.decode() for name, value in HEADERS})
    return cast(HTMLResponse, response)
