"""`minerals up` (the embedded local stack) and `minerals worker` (a worker for a configured cluster)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer

from cli.context import DataDir, fail, out, settings_for
from models.settings import Settings, SettingsError
from worker.devserver import StackError
from worker.logs import configure_logging
from worker.stack import Stack, StackAddresses

log = logging.getLogger("minerals.worker")
QUEUES_HELP = "Which workers to run: all, workflows (workflows and non-email activities) or email."


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

    def stopping(sig: signal.Signals) -> None:
        log.info("received %s, stopping", sig.name, extra={"signal": sig.name})
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping, sig)
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
    from worker.main import scale

    settings = settings_for(data_dir)
    _logging(settings)
    try:
        scale(settings)
    except SettingsError as exc:
        fail(str(exc), 2)
    stack = Stack(Path(settings.data_dir), ui=ui)
    try:
        asyncio.run(until_stopped(lambda stop: _serve(stack, stop)))
    except (StackError, ValueError) as exc:  # SettingsError and bad values are ValueErrors
        fail(str(exc))
    out.print("Stopped.")


def _logging(settings: Settings) -> None:
    try:
        configure_logging(settings)
    except SettingsError as exc:
        fail(str(exc), 2)


def worker(
    data_dir: DataDir = None,
    queues: Annotated[str, typer.Option("--queues", help=QUEUES_HELP)] = "all",
) -> None:
    """Run workers against the configured Temporal service; SIGTERM lets running activities finish."""
    from worker.client import metrics_address
    from worker.main import check_queues, scale, serve  # the activities' imports are heavy

    settings = settings_for(data_dir)
    _logging(settings)
    try:
        chosen, _, _ = check_queues(queues), scale(settings), metrics_address(settings)
        asyncio.run(until_stopped(lambda stop: serve(settings, chosen, stop)))
    except SettingsError as exc:
        fail(str(exc), 2)
    except (ValueError, RuntimeError) as exc:
        fail(f"worker stopped: {exc} (Temporal at {settings.temporal_address})")
