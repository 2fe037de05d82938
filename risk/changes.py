"""What an imported status list changed: facilities whose status differs from the one before, and
facilities whose audit validity ends within the warning window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.registry import RegistryFacility, RegistryImport, RegistryStatus
from risk.config import RiskConfig
from risk.registry import Registry


def facility_changes(
    session: Session, record: RegistryImport, registry: Registry, config: RiskConfig
) -> list[dict[str, Any]]:
    """The import's status changes (against each facility's previous snapshot), then the accepted
    facilities whose audit ends by `registry.as_of` plus the warning window; one entry per facility."""
    rows = list(session.scalars(select(RegistryStatus).where(RegistryStatus.import_id == record.id)))
    ids = [r.smelter_id for r in rows]
    previous: dict[str, RegistryStatus] = {}
    earlier = (
        select(RegistryStatus)
        .where(RegistryStatus.import_id != record.id, RegistryStatus.as_of <= record.as_of)
        .order_by(RegistryStatus.as_of, RegistryStatus.id)
    )
    for s in session.scalars(earlier):
        previous[s.smelter_id] = s
    names = {
        f.smelter_id: (f.name, f.metal)
        for f in session.scalars(select(RegistryFacility).where(RegistryFacility.smelter_id.in_(ids)))
    }
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        before = previous.get(row.smelter_id)
        if before is not None and _same(before, row):
            continue
        name, metal = names.get(row.smelter_id, (row.smelter_id, None))
        found[row.smelter_id] = {
            "smelter_id": row.smelter_id,
            "name": name,
            "metal": metal,
            "before": before.status if before else None,
            "after": row.status,
            "audit_ends": _audit_ends(row),
        }
    on = registry.as_of or record.as_of
    for cid, status in sorted(registry.statuses.items()):
        ends = status.audit_ends
        if cid in found or ends is None or status.status not in config.accepted_statuses:
            continue
        if ends <= on + config.audit_warning:
            facility = registry.facilities.get(cid)
            found[cid] = {
                "smelter_id": cid,
                "name": facility.name if facility else cid,
                "metal": facility.metal if facility else None,
                "before": status.status,
                "after": status.status,
                "audit_ends": ends.isoformat(),
            }
    return list(found.values())


def _audit_ends(row: RegistryStatus) -> str | None:
    if row.last_audit is None or row.cycle_days is None:
        return None
    return (row.last_audit + dt.timedelta(days=row.cycle_days)).isoformat()


def _same(a: RegistryStatus, b: RegistryStatus) -> bool:
    return (a.status, a.last_audit, a.cycle_days) == (b.status, b.last_audit, b.cycle_days)


def judging_day(record: RegistryImport, today: dt.date | None = None) -> dt.date:
    """The day a refresh judges statuses on: today, or the list's own date when it lies ahead."""
    return max(today or dt.date.today(), record.as_of)
