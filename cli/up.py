"""`minerals up` (the embedded local stack) and `minerals worker` (a worker for a configured cluster)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer

from cli.context import DataDir, fail, out, settings_for
from models.settings import Settings
from worker.client import connect
from worker.devserver import StackError
from worker.stack import Stack, StackAddresses


def print_addresses(addresses: StackAddresses) -> None:
    """Tell the user where each part of the stack is."""
    out.print("[bold green]Responsible Minerals stack is running[/]")
    if addresses.temporal_ui:
        out.print(f"  Temporal UI     {addresses.temporal_ui}")
    out.print(f"  Temporal gRPC   {addresses.temporal}")
    if addresses.console:
        out.print(f"  Console         {addresses.console}  (`minerals users add` creates a staff login)")
    out.print(f"  SMTP capture    {addresses.smtp}  (messages stored in {addresses.mail_dir})")
    out.print(f"  Database        {addresses.database_url}")
    out.print(f"  Settings        {addresses.settings_file}  (other `minerals` commands read it)")


async def until_stopped(main: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    """Run `main(stop)` with Ctrl-C and SIGTERM setting `stop`."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await main(stop)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def _serve(stack: Stack, stop: asyncio.Event) -> None:
    async with stack:
        print_addresses(stack.addresses)
        out.print("Press Ctrl-C to stop.")
        waiting = asyncio.create_task(stack.wait())
        stopping = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if waiting in done and waiting.exception() is not None:
            raise StackError(f"the worker stopped: {waiting.exception()}")
        out.print("Stopping…")


def up(
    data_dir: DataDir = None,
    ui: Annotated[bool, typer.Option("--ui/--no-ui", help="Serve the Temporal Web UI.")] = True,
) -> None:
    """Start the embedded stack: Temporal dev server, SMTP capture, worker; Ctrl-C stops it."""
    settings = settings_for(data_dir)
    stack = Stack(Path(settings.data_dir), ui=ui)
    try:
        asyncio.run(until_stopped(lambda stop: _serve(stack, stop)))
    except (StackError, ValueError) as exc:  # SettingsError and bad values are ValueErrors
        fail(str(exc))
    out.print("Stopped.")


async def _work(settings: Settings, stop: asyncio.Event) -> None:
    from worker.main import build_worker  # the activities' imports are heavy: only when needed

    client = await connect(settings)
    worker = build_worker(client, settings)
    async with worker:
        out.print(f"Worker polling {settings.task_queue!r} on {settings.temporal_address}; Ctrl-C stops it.")
        await stop.wait()


def worker(data_dir: DataDir = None) -> None:
    """Run a worker against the configured Temporal service (MINERALS_TEMPORAL_ADDRESS...)."""
    settings = settings_for(data_dir)
    try:
        asyncio.run(until_stopped(lambda stop: _work(settings, stop)))
    except (ValueError, RuntimeError) as exc:  # SettingsError is a ValueError
        fail(f"worker stopped: {exc} (Temporal at {settings.temporal_address})")
