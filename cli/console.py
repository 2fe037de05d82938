"""`minerals console`: the web console and supplier portal on 127.0.0.1 (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.context import DataDir, fail, out, settings_for
from models.settings import SettingsError


def console(
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 8000,
    data_dir: DataDir = None,
) -> None:
    """Serve the web console; suppliers' upload links point at MINERALS_PUBLIC_BASE_URL."""
    import uvicorn

    from console.app import create_app
    from worker.client import connect
    from worker.mail_capture import captured_mail

    settings = settings_for(data_dir)
    try:
        app = create_app(settings, connect=lambda: connect(settings), mail_reader=captured_mail)
    except SettingsError as exc:
        fail(str(exc), 2)
    out.print(f"Console on http://127.0.0.1:{port}/ (upload links use {settings.public_base_url})")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False)
