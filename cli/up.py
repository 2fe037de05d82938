"""`minerals up` (the embedded local stack) and `minerals worker` (a worker for a configured cluster)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer

from cli.context import DataDir, fail, hint, out, remember_stack, require_stack, say, settings_for
from cli.stack_dir import data_dir_flag
from models.settings import Settings, SettingsError
from worker.devserver import StackError
from worker.logs import configure_logging
from worker.stack import Stack, StackAddresses

log = logging.getLogger("minerals.worker")
QUEUES_HELP = "Which workers to run: all, workflows (workflows and non-email activities) or email."


def print_addresses(addresses: StackAddresses, settings: Settings) -> None:
    """Tell the user where each part of the stack is, and record it for commands run from here."""
    pointer = remember_stack(settings)  # first: the hints below then need no --data-dir from here
    lines = [f"  Temporal UI     {addresses.temporal_ui}"] if addresses.temporal_ui else []
    lines.append(f"  Temporal gRPC   {addresses.temporal}")
    if addresses.console:
        add_user = hint(settings, "minerals users add EMAIL --role admin")
        lines.append(f"  Console         {addresses.console}  (`{add_user}` creates a staff login)")
    lines += [
        f"  SMTP capture    {addresses.smtp}  (messages stored in {addresses.mail_dir})",
        f"  Database        {addresses.database_url}",
        f"  Settings        {addresses.settings_file}",
    ]
    if pointer is not None:
        lines.append(f"Commands run in {pointer.parent} find this stack through {pointer}.")
    elif not data_dir_flag(settings.data_dir):
        lines.append(f"Commands run in {Path.cwd()} find this stack.")
    out.print("[bold green]Responsible Minerals stack is running[/]")
    for line in lines:  # whole lines, so a path or a command copies in one piece
        say(line)


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
        print_addresses(stack.addresses, stack.settings)
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
    """Run workers against the configured Temporal service; SIGTERM lets activities finish."""
    from worker.client import metrics_address
    from worker.main import check_queues, scale, serve  # the activities' imports are heavy

    settings = settings_for(data_dir)
    require_stack(settings)
    _logging(settings)
    try:
        chosen, _, _ = check_queues(queues), scale(settings), metrics_address(settings)
        asyncio.run(until_stopped(lambda stop: serve(settings, chosen, stop)))
    except SettingsError as exc:
        fail(str(exc), 2)
    except (ValueError, RuntimeError) as exc:
        fail(f"worker stopped: {exc} (Temporal at {settings.temporal_address})")
