"""The declarations behind a report: kept per stored file, read back from the file store when missing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.files import StoredFile
from models.report_declaration import ReportDeclaration
from mrt.model import Declaration, SmelterRow, Unreadable
from mrt.reader import read
from mrt.report import FileResult, to_json

CHUNK = 5000  # ids per IN (...) clause: far below SQLite's and PostgreSQL's parameter limits


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """The ids in lists of at most CHUNK."""
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Declared:
    """One file's declaration as reports use it: canonical answers and smelter rows."""

    file_id: int
    family: str
    version: str
    minerals: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    smelters: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, key: str, mineral: str | None = None) -> str | None:
        """The answer to question `key` (for `mineral` when per-mineral), None when blank."""
        value = self.answers.get(key)
        if mineral is not None:
            value = value.get(mineral) if isinstance(value, dict) else None
        return value if isinstance(value, str) else None

    def rows(self) -> list[SmelterRow]:
        """The smelter rows as `SmelterRow`s, for matching against the registry."""
        return [
            SmelterRow(
                row=int(s.get("row") or 0),
                metal=s.get("metal"),
                lookup=s.get("lookup"),
                name=s.get("name"),
                country=s.get("country"),
                smelter_id=s.get("smelter_id"),
            )
            for s in self.smelters
        ]


def record_declaration(session: Session, file_id: int, declaration: Declaration) -> ReportDeclaration:
    """Keep what a stored file declared (replacing an earlier record); the caller commits."""
    data = to_json(FileResult(str(file_id), declaration))
    row = session.get(ReportDeclaration, file_id) or ReportDeclaration(file_id=file_id)
    row.family, row.version = declaration.family, declaration.version
    row.minerals = list(declaration.minerals)
    row.answers, row.smelters = data["answers"], data["smelters"]
    session.add(row)
    return row


def _declared(row: ReportDeclaration) -> Declared:
    return Declared(row.file_id, row.family, row.version, row.minerals, row.answers, row.smelters)


def load_declared(session: Session, file_ids: Iterable[int], file_store: Path | None) -> dict[int, Declared]:
    """The declarations of these files; a file not recorded yet is read from the store and recorded.

    A file that is gone or can no longer be read is left out (the report counts it as not declared)."""
    wanted = set(file_ids)
    found: dict[int, Declared] = {}
    for batch in chunks(wanted):
        rows = session.scalars(select(ReportDeclaration).where(ReportDeclaration.file_id.in_(batch)))
        found.update((r.file_id, _declared(r)) for r in rows)
    missing = sorted(wanted - set(found))
    stored_files = [
        stored
        for batch in chunks(missing if file_store is not None else [])
        for stored in session.scalars(select(StoredFile).where(StoredFile.id.in_(batch)))
    ]
    if stored_files and file_store is not None:
        for stored in stored_files:
            path = (file_store / stored.path).resolve()
            if not path.is_relative_to(file_store.resolve()):
                continue
            try:
                declaration = read(path)
            except (Unreadable, OSError):
                continue
            found[stored.id] = _declared(record_declaration(session, stored.id, declaration))
        session.commit()
    return found
