"""The registry in the SQL database: import a source file in one transaction, load a dated Registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.registry import RegistryAlias, RegistryFacility, RegistryImport, RegistryStatus
from risk.config import RiskConfig
from risk.registry import Facility, Registry, Status
from risk.sources import Batch, Rejected, SourceError, SourceRow, read_source


@dataclass(frozen=True)
class ImportResult:
    """The stored import record, and whether the same file and date had been imported before."""

    record: RegistryImport
    duplicate: bool = False


class RejectedRows(SourceError):
    """A strict import refused a file because some rows were rejected; nothing was stored."""

    def __init__(self, rejected: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(rejected)} row(s) rejected; nothing was imported")
        self.rejected = rejected


def import_file(
    session: Session,
    path: Path,
    as_of: dt.date | None = None,
    config: RiskConfig | None = None,
    strict: bool = False,
    actor: str = "system",
) -> ImportResult:
    """Read and store a source file; commits once, or rolls back everything on any error.

    Rejected rows are recorded with the import; with `strict` any rejected row refuses the whole file."""
    batch = read_source(path, config)
    on = as_of or dt.date.today()
    existing = session.scalars(
        select(RegistryImport).where(RegistryImport.sha256 == batch.sha256, RegistryImport.as_of == on)
    ).first()
    if existing is not None:
        return ImportResult(existing, duplicate=True)
    try:
        record = save_batch(session, batch, on)
        if strict and record.rejected:
            raise RejectedRows(record.rejected)
        subject = f"registry-import:{record.id}"
        session.add(
            AuditEvent(actor=actor, action="registry.imported", subject=subject, after=_summary(record))
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return ImportResult(record)


def _summary(record: RegistryImport) -> dict[str, Any]:
    """What an import changed, for its audit event."""
    return {
        "file_name": record.file_name,
        "sha256": record.sha256,
        "kind": record.kind,
        "as_of": record.as_of.isoformat(),
        "rows_read": record.rows_read,
        "facilities_added": record.facilities_added,
        "aliases_added": record.aliases_added,
        "statuses_added": record.statuses_added,
        "rejected": len(record.rejected or []),
    }


def save_batch(session: Session, batch: Batch, as_of: dt.date) -> RegistryImport:
    """Add a parsed batch to the session (no commit): facilities upserted, aliases and statuses added."""
    record = RegistryImport(
        file_name=batch.file_name,
        sha256=batch.sha256,
        kind=batch.kind,
        as_of=as_of,
        rows_read=batch.rows_read,
    )
    session.add(record)
    session.flush()
    facilities = {f.smelter_id: f for f in session.scalars(select(RegistryFacility))}
    aliases = {(a.smelter_id, a.kind, a.alias) for a in session.scalars(select(RegistryAlias))}
    rejected = list(batch.rejected)
    kept = []
    for row in batch.rows:
        facility = facilities.get(row.smelter_id)
        if facility is None:
            if not (row.metal and row.name):
                rejected.append(
                    Rejected(
                        row.line,
                        f"{row.smelter_id} is not in the registry yet and the row "
                        "gives no metal and name; import a Smelter Look-up first",
                    )
                )
                continue
            facility = RegistryFacility(
                smelter_id=row.smelter_id, metal=row.metal, name=row.name, first_import_id=record.id
            )
            session.add(facility)
            facilities[row.smelter_id] = facility
            record.facilities_added += 1
        elif row.metal and row.metal != facility.metal:
            rejected.append(
                Rejected(
                    row.line, f"{row.smelter_id} is a {facility.metal} facility, the row says {row.metal}"
                )
            )
            continue
        _update(facility, row)
        kept.append(row)
    session.flush()  # facilities first: aliases and statuses refer to them
    for row in kept:
        for kind, alias in [("name", a) for a in row.aliases] + [("v2-id", row.legacy_id)]:
            if alias and (row.smelter_id, kind, alias) not in aliases:
                aliases.add((row.smelter_id, kind, alias))
                session.add(
                    RegistryAlias(smelter_id=row.smelter_id, kind=kind, alias=alias, import_id=record.id)
                )
                record.aliases_added += 1
        if row.status:
            session.add(
                RegistryStatus(
                    smelter_id=row.smelter_id,
                    import_id=record.id,
                    as_of=as_of,
                    status=row.status,
                    raw_status=row.raw_status,
                    last_audit=row.last_audit,
                    cycle_days=row.cycle_days,
                )
            )
            record.statuses_added += 1
    record.rejected = [{"line": r.line, "reason": r.reason} for r in sorted(rejected, key=lambda r: r.line)]
    session.flush()
    return record


def _update(facility: RegistryFacility, row: SourceRow) -> None:
    """Newer sources refresh what they state; blanks never erase."""
    for name in ("name", "country", "street", "city", "state"):
        value = getattr(row, name)
        if value:
            setattr(facility, name, value)


def load_registry(session: Session, as_of: dt.date | None = None) -> Registry:
    """The registry as of a date: every facility, and each one's latest status on or before that date."""
    on = as_of or dt.date.today()
    names: dict[str, list[str]] = {}
    legacy: dict[str, str] = {}
    for alias in session.scalars(select(RegistryAlias).order_by(RegistryAlias.id)):
        if alias.kind == "v2-id":
            legacy.setdefault(alias.alias, alias.smelter_id)
        else:
            names.setdefault(alias.smelter_id, []).append(alias.alias)
    facilities = {
        f.smelter_id: Facility(
            f.smelter_id,
            f.metal,
            f.name,
            f.country,
            f.street,
            f.city,
            f.state,
            tuple(names.get(f.smelter_id, ())),
        )
        for f in session.scalars(select(RegistryFacility))
    }
    statuses: dict[str, Status] = {}
    rows = session.scalars(
        select(RegistryStatus)
        .where(RegistryStatus.as_of <= on)
        .order_by(RegistryStatus.as_of, RegistryStatus.id)
    )
    for s in rows:
        statuses[s.smelter_id] = Status(s.status, s.as_of, s.raw_status, s.last_audit, s.cycle_days)
    newest = session.scalar(
        select(func.max(RegistryImport.as_of)).where(
            RegistryImport.kind == "status-list", RegistryImport.as_of <= on
        )
    )
    return Registry(facilities, statuses, legacy, on, "database", newest is not None, newest)


def import_history(session: Session) -> list[RegistryImport]:
    """Every import, newest first."""
    return list(session.scalars(select(RegistryImport).order_by(RegistryImport.id.desc())))
