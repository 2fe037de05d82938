"""The web console served by uvicorn inside the embedded stack's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import uvicorn
from sqlalchemy import Engine
from temporalio.client import Client

from models.db import session_factory
from models.settings import Settings
from worker.devserver import StackError


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the stack owns Ctrl-C and SIGTERM and stops the console itself


class ConsoleServer:
    """A running console; `stop()` ends it."""

    def __init__(self, server: _Server, task: asyncio.Task[None], url: str) -> None:
        self._server, self._task, self.url = server, task, url

    async def stop(self) -> None:
        """Ask uvicorn to exit and wait for it."""
        self._server.should_exit = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._task, 15)


async def start_console(settings: Settings, client: Client, engine: Engine, port: int) -> ConsoleServer:
    """Serve the console on 127.0.0.1:`port` and wait until it accepts connections."""
    from console.app import create_app
    from worker.mail_capture import captured_mail

    app = create_app(settings, sessions=session_factory(engine), client=client, mail_reader=captured_mail)
    server = _Server(
        # log_config=None: uvicorn's records go to the root logger, in the stack's configured format.
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", log_config=None, proxy_headers=False
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            raise StackError(f"the console could not start on port {port}: {task.exception()}")
        await asyncio.sleep(0.05)
    return ConsoleServer(server, task, f"http://127.0.0.1:{port}")


def serve_console(
    settings: Settings, host: str, port: int, proxy_headers: bool, forwarded_allow_ips: str | None
) -> None:
    """Serve the console in the foreground (`minerals console`) until interrupted."""
    from console.app import create_app
    from worker.client import connect
    from worker.logs import configure_logging
    from worker.mail_capture import captured_mail

    app = create_app(settings, connect=lambda: connect(settings), mail_reader=captured_mail)
    configure_logging(settings)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        log_config=None,  # uvicorn's loggers go through configure_logging's format (JSON in production)
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
    )
