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

    app = create_app(settings, sessions=session_factory(engine), client=client)
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
