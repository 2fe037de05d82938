"""`minerals console`: the web console and supplier portal (uvicorn), on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.context import DataDir, fail, out, require_stack, settings_for
from models.settings import SettingsError


def console(
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; 0.0.0.0 inside a container (publish the port on 127.0.0.1 only).",
        ),
    ] = "127.0.0.1",
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Trust X-Forwarded-For/-Proto from a TLS reverse proxy at --forwarded-allow-ips.",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Comma-separated proxy addresses trusted with --proxy-headers "
            "(default: FORWARDED_ALLOW_IPS, else 127.0.0.1).",
            show_default=False,
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Serve the web console; suppliers' upload links point at MINERALS_PUBLIC_BASE_URL."""
    from worker.console_server import serve_console

    settings = settings_for(data_dir)
    require_stack(settings)
    shown = f"[{host}]" if ":" in host else host
    out.print(f"Console on http://{shown}:{port}/ (upload links use {settings.public_base_url})")
    try:
        serve_console(settings, host, port, proxy_headers, forwarded_allow_ips)
    except SettingsError as exc:
        fail(str(exc), 2)
