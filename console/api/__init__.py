"""The JSON API under /api/v1: bearer tokens, the console's roles, problem documents, OpenAPI and docs."""

from __future__ import annotations

from fastapi import FastAPI

from console.api import (
    actions,
    audit,
    campaigns,
    cases,
    docs,
    problems,
    registry,
    reports,
    suppliers,
    webhooks,
)
from console.api.auth import RateLimit
from console.state import ConsoleState

VERSION = "1"
ROUTERS = (
    suppliers.router,
    campaigns.router,
    cases.router,
    actions.router,
    reports.router,
    registry.router,
    audit.router,
    webhooks.router,
)
RATE_REQUESTS, RATE_WINDOW = 600, 60.0  # per token, per console process


def create_api(console: ConsoleState, rate_limit: RateLimit | None = None) -> FastAPI:
    """The API app, sharing the console's state; the console mounts it at /api/v1."""
    api = FastAPI(
        title="Responsible Minerals API",
        version=VERSION,
        description="Suppliers, campaigns, cases, corrective actions, findings, KPI report and audit trail. "
        "Authenticate with `Authorization: Bearer TOKEN` (`minerals tokens create`). Errors are RFC 9457 "
        "problem documents.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    api.state.console = console
    api.state.rate_limit = rate_limit or RateLimit(RATE_REQUESTS, RATE_WINDOW)
    for router in ROUTERS:
        api.include_router(router)
    docs.install(api)
    problems.install(api)
    return api
