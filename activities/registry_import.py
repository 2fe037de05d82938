"""The scheduled registry import: take the newest RMI list placed in a folder, once per file."""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

import risk
from activities.blocking import Blocking
from cases.refresh import refresh_workflow_id
from models.refresh_messages import ImportedList, ImportNewest, RefreshActivity
from models.registry import RegistryImport
from risk.sources import read_source

LIST_FILES = (".csv", ".xlsx", ".xls")


def newest_list(path: Path) -> Path | None:
    """The file itself, or the most recently modified list file of a folder; None when there is none."""
    if path.is_file():
        return path
    if not path.is_dir():
        return None
    files = [p for p in path.iterdir() if p.is_file() and p.suffix.lower() in LIST_FILES]
    return max(files, key=lambda p: (p.stat().st_mtime, p.name), default=None)


class RegistryImportActivities:
    """Imports lists for the schedule; the session factory and the risk configuration are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        risk_config: Path | None = None,
        executor: Executor | None = None,
        email_queue: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._risk_config = risk_config
        self._blocking = Blocking(executor)
        self._email_queue = email_queue  # passed on to the refresh, whose digest is email

    @activity.defn(name=RefreshActivity.IMPORT_NEWEST)
    async def import_newest(self, ask: ImportNewest) -> ImportedList:
        """Import the newest list at the path unless that very file was imported before."""
        return await self._blocking(self.take, ask)

    def take(self, ask: ImportNewest) -> ImportedList:
        """Import (blocking); a file already imported, on any date, is a no-op."""
        found = newest_list(Path(ask.path))
        if found is None:
            return ImportedList(note=f"no RMI list at {ask.path}")
        config = risk.load_risk_config(self._risk_config)
        try:
            digest = read_source(found, config).sha256
        except risk.SourceError as exc:
            raise ApplicationError(f"{found.name}: {exc}", type="SourceError", non_retryable=True) from None
        with self._sessions() as session:
            seen = session.scalar(select(RegistryImport.id).where(RegistryImport.sha256 == digest).limit(1))
            if seen is not None:
                return ImportedList(
                    file_name=found.name, note=f"{found.name} was imported already (import {seen})"
                )
            record = risk.import_file(session, found, None, config, actor="schedule").record
            refresh = refresh_workflow_id(record) if record.kind == "status-list" else None
            return ImportedList(
                import_id=record.id,
                file_name=found.name,
                refresh_workflow_id=refresh,
                email_queue=self._email_queue,
            )
