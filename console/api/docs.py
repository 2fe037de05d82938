"""Interactive docs (Swagger UI) served from the package, never a CDN, within the console's CSP."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Responsible Minerals API</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script></body></html>
"""
# The page's own script lives in a file: the console's CSP allows no inline script.
INIT = 'SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui", persistAuthorization: false});\n'

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs() -> HTMLResponse:
    """The interactive API documentation."""
    return HTMLResponse(PAGE)


@router.get("/docs/init.js")
def init() -> Response:
    """Starts Swagger UI on the OpenAPI document."""
    return Response(INIT, media_type="text/javascript")


def install(app: FastAPI) -> None:
    """The docs page and its assets."""
    app.include_router(router)
    app.mount("/docs/assets", StaticFiles(directory=ASSETS), name="docs-assets")
