"""The pieces bench/chaos.py starts, breaks and restarts: an SMTP sink, product processes, a database lock."""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import json
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from worker.devserver import _die_with_parent

REFUSAL = "550 5.1.1 mailbox unavailable"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Received:
    """One message the sink accepted: when, its Message-ID and kind, who it was accepted for."""

    at: float  # time.time()
    message_id: str
    kind: str
    rcpts: list[str]


@dataclass
class Upload:
    """One supplier's portal upload and how the page answered."""

    supplier: str
    answer: str
    at: float
    seconds: float | None = None  # None: no answer within the timeout
    answered_at: float | None = None  # time.time() of the answer
    status: int | None = None
    error: str = ""


class SinkHandler:
    """Accepts every message except for one address, which gets a permanent 550 at RCPT."""

    def __init__(self, refuse: str, log: Path) -> None:
        self.refuse = refuse.lower()
        self.received: list[Received] = []
        self.refused = 0
        self._on_accept: Callable[[], None] | None = None
        self._log = log
        self._lock = threading.Lock()

    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() == self.refuse:
            with self._lock:
                self.refused += 1
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or b""
        headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
        got = Received(
            at=time.time(),
            message_id=str(headers.get("Message-ID", "")).strip(),
            kind=str(headers.get("X-Minerals-Kind", "")),
            rcpts=[str(r) for r in envelope.rcpt_tos],
        )
        with self._lock:
            self.received.append(got)
            with self._log.open("a") as out:
                out.write(json.dumps(asdict(got)) + "\n")
            hook, self._on_accept = self._on_accept, None
        if hook is not None:
            hook()  # before the client hears the 250: the relay has the message, the client does not know
        return "250 Message accepted for delivery"

    def arm(self, hook: Callable[[], None]) -> None:
        """Call `hook` once, when the next message is accepted, before answering the client."""
        with self._lock:
            self._on_accept = hook

    def disarm(self) -> bool:
        """Take back an armed hook; False when it has fired already."""
        with self._lock:
            armed, self._on_accept = self._on_accept is not None, None
            return armed

    def last_at(self) -> float:
        """When the last message arrived (0 before any)."""
        with self._lock:
            return self.received[-1].at if self.received else 0.0


class Sink:
    """The mail relay: an aiosmtpd server that can be stopped (connections refused) and started again."""

    def __init__(self, port: int, refuse: str, log: Path) -> None:
        self.port = port
        self.handler = SinkHandler(refuse, log)
        self._controller: Controller | None = None

    def start(self) -> None:
        """Listen on the port (again)."""
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening: every connection is refused until start()."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class Service:
    """A product process (`minerals worker`, `minerals console`) in its own process group."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logs: Path) -> None:
        self.name, self.argv, self.env, self.logs = name, argv, env, logs
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.kills: list[float] = []  # time.time() of each SIGKILL
        self.own_exits: list[tuple[float, int]] = []  # exits nobody asked for: (when, code)

    @property
    def log_path(self) -> Path:
        """The log of the current (last) start."""
        return self.logs / f"{self.name}-{self.starts}.log"

    def start(self) -> None:
        """Start the process, its output to a fresh log file."""
        self.starts += 1
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=self.env,
                start_new_session=True, preexec_fn=_die_with_parent,
            )  # fmt: skip

    def exited(self) -> int | None:
        """The exit code when the process is gone, else None."""
        return None if self.process is None else self.process.poll()

    def kill(self) -> None:
        """SIGKILL the whole process group (the worker's parse children too)."""
        assert self.process is not None
        self.kills.append(time.time())
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, grace: float = 40.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    async def wait_for_log(self, text: str, timeout: float = 120.0) -> None:
        """Until the current log shows `text`; raises if the process exits first."""
        deadline = time.monotonic() + timeout
        while text not in self.log_path.read_text(errors="replace"):
            if self.exited() is not None:
                raise RuntimeError(f"{self.name} exited ({self.exited()}); see {self.log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not log {text!r} within {timeout:.0f} s")
            await asyncio.sleep(0.2)

    async def wait_for_http(self, url: str, timeout: float = 120.0) -> None:
        """Until `url` answers; raises if the process exits first."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as http:
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    await http.get(url, timeout=2)
                    return
                if self.exited() is not None:
                    raise RuntimeError(f"{self.name} exited ({self.exited()}); see {self.log_path}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not answer on {url} within {timeout:.0f} s")
                await asyncio.sleep(0.3)

    def log_lines(self) -> tuple[int, int]:
        """(lines, tracebacks) over every log this service wrote."""
        lines = tracebacks = 0
        for n in range(1, self.starts + 1):
            with contextlib.suppress(OSError):
                text = (self.logs / f"{self.name}-{n}.log").read_text(errors="replace")
                lines += text.count("\n")
                tracebacks += text.count("Traceback (most recent call last)")
        return lines, tracebacks


async def portal_upload(link: str, path: Path, done: Upload, timeout: float) -> None:
    """What a supplier does: open the emailed link, send the file through its form; the answer is timed."""
    async with httpx.AsyncClient(timeout=timeout) as http:
        try:
            page = await http.get(link)
            found = re.search(r'name="csrf" value="([^"]+)"', page.text)
            if found is None:
                done.status, done.error = page.status_code, "the page has no upload form"
                return
            began = time.monotonic()
            answer = await http.post(
                link, data={"csrf": found.group(1)}, files={"file": (path.name, path.read_bytes(), XLSX)}
            )
            done.seconds, done.status = time.monotonic() - began, answer.status_code
            done.answered_at = time.time()
            if answer.status_code != 303:  # 303: taken, back to the case page
                said = re.search(r'class="error"[^>]*>([^<]*)<', answer.text)
                done.error = said.group(1) if said else f"HTTP {answer.status_code}"
        except httpx.TimeoutException:
            done.error = f"no answer within {timeout:.0f} s"
        except httpx.HTTPError as exc:
            done.error = f"{type(exc).__name__}: {exc}"


def hold_write_lock(database_url: str, seconds: float) -> float:
    """Hold a write lock on the database for `seconds` (SQLite: BEGIN IMMEDIATE; PostgreSQL: the tables
    every case write touches, in EXCLUSIVE mode); returns when the lock was taken (time.time())."""
    if database_url.startswith("sqlite:///"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=120, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            taken = time.time()
            time.sleep(seconds)
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return taken
    import psycopg

    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as pg:
        pg.execute("LOCK TABLE surveys, email_messages, audit_chain_head IN EXCLUSIVE MODE")
        taken = time.time()
        time.sleep(seconds)
        pg.rollback()
    return taken
