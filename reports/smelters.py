"""Smelters behind a report: each declared row resolved against the registry, consolidated by id and metal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from mrt.model import NOT_LISTED, SmelterRow
from reports.scope import Case
from risk import Registry, RiskConfig, match_row
from risk.normalize import exact_key, metal_name
from risk.registry import CID

Standing = Literal["conformant", "active", "other"]
GAP_NOT_LISTED = "not listed"
GAP_NOT_IDENTIFIED = "not yet identified"
GAP_UNMATCHED = "not matched"


@dataclass(frozen=True)
class Resolved:
    """One declared row: the facility it names (metal + CID), or the kind of data gap it is."""

    row: int
    metal: str | None
    smelter_id: str | None
    name: str | None
    country: str | None
    gap: str | None = None


@dataclass
class SmelterLine:
    """One smelter of the consolidated list, with the suppliers that name it."""

    metal: str
    smelter_id: str
    name: str | None
    country: str | None
    status: str | None  # the registry's status code at the report date, None when no list states one
    standing: Standing
    suppliers: set[str] = field(default_factory=set)  # supplier ids (the buyer's keys)


@dataclass(frozen=True)
class Gap:
    """A declared row that names no identified smelter: followed up with the supplier."""

    supplier_id: str
    supplier_name: str
    metal: str | None
    row: int
    kind: str
    name: str | None
    country: str | None


def resolve(row: SmelterRow, registry: Registry, config: RiskConfig) -> Resolved:
    """The facility a row names: by the registry's id/alias/name match, else the file's own CID."""
    match = match_row(registry, row, config)
    metal = metal_name(row.metal)
    if match.gap:
        return Resolved(row.row, metal, None, row.name, row.country, GAP_NOT_IDENTIFIED)
    cid = match.matched_id if match.method != "none" and not match.review else None
    if cid is None and row.smelter_id and CID.match(row.smelter_id.strip().upper()):
        cid = row.smelter_id.strip().upper()  # a CID from the file's look-up the registry lacks
    if cid is None:
        listed = exact_key(row.lookup or "") == exact_key(NOT_LISTED)
        return Resolved(
            row.row, metal, None, row.name, row.country, GAP_NOT_LISTED if listed else GAP_UNMATCHED
        )
    facility = registry.facilities.get(cid)
    if facility is not None:
        return Resolved(row.row, facility.metal, cid, facility.name, facility.country)
    return Resolved(row.row, metal, cid, row.name or row.lookup, row.country)


def standing(registry: Registry, smelter_id: str, on: dt.date, config: RiskConfig) -> Standing:
    """Conformant (accepted status, audit not expired), active (participating), or other."""
    status = registry.status(smelter_id)
    if status is None:
        return "other"
    if status.status in config.accepted_statuses and not status.expired(on):
        return "conformant"
    if status.status in config.participating_statuses:
        return "active"
    return "other"


@dataclass
class Consolidated:
    """Every smelter named by the complete declarations of some cases, and every data gap."""

    lines: dict[tuple[str, str], SmelterLine] = field(default_factory=dict)  # (metal, CID) -> line
    gaps: list[Gap] = field(default_factory=list)

    def for_metals(self, metals: tuple[str, ...] | set[str]) -> list[SmelterLine]:
        """The lines of these metals."""
        return [line for (metal, _), line in self.lines.items() if metal in metals]


def consolidate(cases: list[Case], registry: Registry, on: dt.date, config: RiskConfig) -> Consolidated:
    """Resolve every row of every declaration; one line per (metal, CID), gaps listed per supplier."""
    out = Consolidated()
    for case in cases:
        if case.declared is None:
            continue
        supplier = case.supplier
        for row in case.declared.rows():
            found = resolve(row, registry, config)
            if found.smelter_id is None or found.metal is None:
                kind = found.gap or GAP_UNMATCHED
                out.gaps.append(
                    Gap(
                        supplier.supplier_id,
                        supplier.name,
                        found.metal,
                        found.row,
                        kind,
                        found.name,
                        found.country,
                    )
                )
                continue
            key = (found.metal, found.smelter_id)
            line = out.lines.get(key)
            if line is None:
                status = registry.status(found.smelter_id)
                line = SmelterLine(
                    found.metal,
                    found.smelter_id,
                    found.name,
                    found.country,
                    status.status if status else None,
                    standing(registry, found.smelter_id, on, config),
                )
                out.lines[key] = line
            line.suppliers.add(supplier.supplier_id)
    return out
