"""The embedded local stack: Temporal dev server, SMTP capture, database and worker, in one process tree."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from temporalio.client import Client
from temporalio.worker import Worker

from models.db import make_engine, prepare_schema, session_factory
from models.search_attributes import SEARCH_ATTRIBUTES
from models.settings import SETTINGS_FILE, Settings, load_settings, save_settings
from worker.client import connect, metrics_runtime
from worker.console_server import ConsoleServer, start_console
from worker.devserver import DevServer, StackError, reuse_port
from worker.mail_capture import MailCapture


def _stored_ports(data_dir: Path) -> dict[str, int]:
    """The ports the previous run used, so bookmarks and emailed links keep working."""
    path = data_dir / SETTINGS_FILE
    try:
        stored = json.loads(path.read_text()) if path.is_file() else {}
        ports = {
            "temporal": stored.get("temporal_address", "").rpartition(":")[2],
            "ui": stored.get("temporal_ui_url", "").rpartition(":")[2],
            "smtp": stored.get("smtp_port", ""),
            "console": stored.get("public_base_url", "").rpartition(":")[2].rstrip("/"),
        }
        return {k: int(v) for k, v in ports.items() if str(v).isdigit()}
    except (OSError, ValueError, AttributeError):
        return {}


@dataclass(frozen=True)
class StackAddresses:
    """Where each part of the running stack can be reached."""

    temporal: str
    temporal_ui: str
    console: str
    smtp: str
    mail_dir: Path
    database_url: str
    settings_file: Path


class Stack:
    """Start every piece on free 127.0.0.1 ports, write settings.json, stop everything on exit."""

    def __init__(
        self,
        data_dir: Path,
        *,
        ui: bool = True,
        run_worker: bool = True,
        console: bool = True,
        **overrides: object,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.ui, self.run_worker, self.console, self.overrides = ui, run_worker, console, overrides
        self.console_server: ConsoleServer | None = None
        self.server: DevServer | None = None
        self.mail: MailCapture | None = None
        self.client: Client | None = None
        self.workers: list[Worker] = []
        self._stop_workers = asyncio.Event()
        self._worker_task: asyncio.Task[None] | None = None
        self._lock: IO[str] | None = None
        self.settings = Settings(data_dir=str(self.data_dir))

    async def __aenter__(self) -> Stack:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    def _take_lock(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = open(self.data_dir / "stack.lock", "a+")  # noqa: SIM115 (held while the stack runs)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise StackError(f"a stack is already running on {self.data_dir}") from None
        lock.truncate(0)
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock = lock

    async def start(self) -> None:
        """Start the dev server, mail capture, worker and console; persist their addresses."""
        self._take_lock()
        stored = load_settings(data_dir=str(self.data_dir))
        previous = _stored_ports(self.data_dir)
        self.server = DevServer(
            self.data_dir,
            port=reuse_port(previous.get("temporal")),
            ui_port=reuse_port(previous.get("ui")) if self.ui else None,
            search_attributes=SEARCH_ATTRIBUTES,
        )
        await self.server.start()
        self.mail = MailCapture(self.data_dir / "mail", port=reuse_port(previous.get("smtp")))
        self.mail.start()
        console_port = reuse_port(previous.get("console")) if self.console else None
        # The stack's own values win over MINERALS_* variables: its worker talks to its own server.
        values: dict[str, Any] = dict(
            temporal_address=self.server.address,
            temporal_namespace="default",
            temporal_ui_url=self.server.ui_url,
            temporal_tls=False,
            temporal_tls_cert="",
            temporal_tls_key="",
            temporal_api_key="",
            smtp_host="127.0.0.1",
            smtp_port=self.mail.controller.port,
            smtp_starttls=False,
            smtp_user="",
            smtp_password="",
            upload_secret=stored.upload_secret or secrets.token_urlsafe(32),
            email_per_second=1000.0,  # the capture server takes any rate; a relay's limit does not apply
        )
        values.update(self.overrides)
        if console_port:
            values["public_base_url"] = f"http://127.0.0.1:{console_port}"
        save_settings(self.data_dir, **values)
        self.settings = replace(load_settings(data_dir=str(self.data_dir)), **values)
        engine = make_engine(self.settings.resolved_database_url())
        await asyncio.to_thread(prepare_schema, engine)
        self.client = await connect(self.settings, runtime=metrics_runtime(self.settings))
        if self.run_worker:
            from worker.main import build_workers, resume_webhooks, run_workers

            sessions = session_factory(engine)
            self.workers = build_workers(self.client, self.settings, sessions)
            await resume_webhooks(self.client, self.settings, sessions)
            self._stop_workers = asyncio.Event()
            self._worker_task = asyncio.create_task(run_workers(self.workers, self._stop_workers))
        if console_port:
            self.console_server = await start_console(self.settings, self.client, engine, console_port)

    @property
    def addresses(self) -> StackAddresses:
        """Addresses of the running parts."""
        assert self.server is not None and self.mail is not None
        return StackAddresses(
            temporal=self.server.address,
            temporal_ui=self.server.ui_url,
            console=self.console_server.url if self.console_server else "",
            smtp=self.mail.address,
            mail_dir=self.data_dir / "mail",
            database_url=self.settings.resolved_database_url(),
            settings_file=self.data_dir / "settings.json",
        )

    async def wait(self) -> None:
        """Run until the workers stop (or forever without workers); raises if a worker failed."""
        if self._worker_task is not None:
            await self._worker_task
        else:
            await asyncio.Event().wait()

    async def stop(self) -> None:
        """Stop the console and worker, then mail capture, then the dev server; safe to call twice."""
        if self.console_server is not None:
            await self.console_server.stop()
            self.console_server = None
        self._stop_workers.set()  # the workers shut down; running activities get the graceful time
        if self._worker_task is not None:
            try:
                await self._worker_task
            except Exception:  # noqa: S110 (already reported by the worker's own logging)
                pass
        self.workers, self._worker_task = [], None
        if self.mail is not None:
            self.mail.stop()
            self.mail = None
        if self.server is not None:
            await asyncio.to_thread(self.server.stop)
            self.server = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None
