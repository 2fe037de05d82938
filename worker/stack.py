"""The embedded local stack: Temporal dev server, SMTP capture, database and worker, in one process tree."""

from __future__ import annotations

import asyncio
import fcntl
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from temporalio.client import Client
from temporalio.worker import Worker

from models.db import create_schema, make_engine
from models.search_attributes import SEARCH_ATTRIBUTES
from models.settings import Settings, load_settings, save_settings
from worker.client import connect
from worker.devserver import DevServer, StackError, free_port
from worker.mail_capture import MailCapture


@dataclass(frozen=True)
class StackAddresses:
    """Where each part of the running stack can be reached."""

    temporal: str
    temporal_ui: str
    smtp: str
    mail_dir: Path
    database_url: str
    settings_file: Path


class Stack:
    """Start every piece on free 127.0.0.1 ports, write settings.json, stop everything on exit."""

    def __init__(
        self, data_dir: Path, *, ui: bool = True, run_worker: bool = True, **overrides: object
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.ui, self.run_worker, self.overrides = ui, run_worker, overrides
        self.server: DevServer | None = None
        self.mail: MailCapture | None = None
        self.client: Client | None = None
        self.worker: Worker | None = None
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
        """Start the dev server, mail capture and worker; persist their addresses."""
        self._take_lock()
        self.server = DevServer(
            self.data_dir,
            port=free_port(),
            ui_port=free_port() if self.ui else None,
            search_attributes=SEARCH_ATTRIBUTES,
        )
        await self.server.start()
        smtp_port = free_port()
        self.mail = MailCapture(self.data_dir / "mail", port=smtp_port)
        self.mail.start()
        stored = load_settings(data_dir=str(self.data_dir))
        save_settings(
            self.data_dir,
            temporal_address=self.server.address,
            temporal_namespace="default",
            temporal_ui_url=self.server.ui_url,
            temporal_tls=False,
            temporal_tls_cert="",
            temporal_tls_key="",
            smtp_host="127.0.0.1",
            smtp_port=smtp_port,
            smtp_starttls=False,
            smtp_user="",
            upload_secret=stored.upload_secret or secrets.token_urlsafe(32),
            **self.overrides,
        )
        self.settings = load_settings(data_dir=str(self.data_dir))
        await asyncio.to_thread(create_schema, make_engine(self.settings.resolved_database_url()))
        self.client = await connect(self.settings)
        if self.run_worker:
            from worker.main import build_worker

            self.worker = build_worker(self.client, self.settings)
            self._worker_task = asyncio.create_task(self.worker.run())

    @property
    def addresses(self) -> StackAddresses:
        """Addresses of the running parts."""
        assert self.server is not None and self.mail is not None
        return StackAddresses(
            temporal=self.server.address,
            temporal_ui=self.server.ui_url,
            smtp=self.mail.address,
            mail_dir=self.data_dir / "mail",
            database_url=self.settings.resolved_database_url(),
            settings_file=self.data_dir / "settings.json",
        )

    async def wait(self) -> None:
        """Run until the worker stops (or forever without a worker); raises if the worker failed."""
        if self._worker_task is not None:
            await self._worker_task
        else:
            await asyncio.Event().wait()

    async def stop(self) -> None:
        """Stop the worker, then mail capture, then the dev server; safe to call twice."""
        if self.worker is not None and self._worker_task is not None and not self._worker_task.done():
            await self.worker.shutdown()
        if self._worker_task is not None:
            try:
                await self._worker_task
            except Exception:  # noqa: S110 (already reported by the worker's own logging)
                pass
        self.worker, self._worker_task = None, None
        if self.mail is not None:
            self.mail.stop()
            self.mail = None
        if self.server is not None:
            await asyncio.to_thread(self.server.stop)
            self.server = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None
