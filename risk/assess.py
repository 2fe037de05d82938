"""Assess one declaration against a registry: per-smelter matches, findings and the overall risk."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from mrt.model import Declaration
from risk.config import RISK_ORDER, RiskConfig
from risk.matching import match_row
from risk.registry import Registry
from risk.rules import Finding, declaration_findings, match_metal, row_evidence, smelter_findings


@dataclass(frozen=True)
class SmelterResult:
    """One declared Smelter List row and what it resolved to."""

    row: int
    metal: str | None
    declared_id: str | None
    name: str | None
    country: str | None
    matched_id: str | None
    match: str  # id | alias | name | none
    score: float
    review: bool
    rmap_status: str | None  # status code on the as-of date, None when unknown
    standard_name: str | None = None
    note: str | None = None
    gap: bool = False  # "smelter not yet identified"
    lookup: str | None = None  # the look-up pick as written
    cell: str | None = None  # the cell that shows what was declared
    value: str | None = None
    facility_country: str | None = None
    status_as_of: dt.date | None = None  # the list that stated rmap_status
    last_audit: dt.date | None = None
    audit_ends: dt.date | None = None
    codes: tuple[str, ...] = ()  # the finding codes this row raised

    @property
    def accepted_id(self) -> str | None:
        """The facility the row resolved to without a person's review, None otherwise."""
        return self.matched_id if self.match != "none" and not self.review and not self.gap else None


@dataclass
class Assessment:
    """The risk of one declaration: `risk` is the worst finding's severity, or `none`."""

    risk: str
    as_of: dt.date
    registry_source: str  # database | lookup
    smelters: list[SmelterResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    statuses_as_of: dt.date | None = None  # newest RMI status list used; None when statuses are unknown

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO text)."""
        return {
            "risk": self.risk,
            "as_of": self.as_of.isoformat(),
            "registry_source": self.registry_source,
            "statuses_as_of": self.statuses_as_of.isoformat() if self.statuses_as_of else None,
            "smelters": [_plain(asdict(s)) for s in self.smelters],
            "findings": [f.to_dict() for f in self.findings],
        }

    def codes(self) -> set[str]:
        """The distinct finding codes, for quick checks."""
        return {f.code for f in self.findings}


def assess(
    declaration: Declaration,
    registry: Registry,
    as_of: dt.date | None = None,
    config: RiskConfig | None = None,
) -> Assessment:
    """Match every smelter row and apply the risk rules; `as_of` defaults to the registry's date."""
    config = config or RiskConfig()
    on = as_of or registry.as_of or dt.date.today()
    results: list[SmelterResult] = []
    findings: list[Finding] = []
    for row in declaration.smelters:
        match = match_row(registry, row, config)
        accepted = match.matched_id if match.method != "none" and not match.review else None
        facility = registry.facilities.get(accepted or "")
        status = registry.status(accepted) if accepted else None
        raised = smelter_findings(row, match, registry, config, on, declaration.layout.smelters)
        cell, value = row_evidence(row, declaration.layout.smelters)
        results.append(
            SmelterResult(
                row=row.row,
                metal=match_metal(row, match, registry),
                declared_id=row.id_input or row.smelter_id,
                name=row.name or row.lookup,
                country=row.country,
                matched_id=match.matched_id,
                match=match.method,
                score=match.score,
                review=match.review,
                rmap_status=status.status if status else None,
                standard_name=facility.name if facility else None,
                note=match.note,
                gap=match.gap,
                lookup=row.lookup,
                cell=cell,
                value=value,
                facility_country=facility.country if facility else None,
                status_as_of=status.as_of if status else None,
                last_audit=status.last_audit if status else None,
                audit_ends=status.audit_ends if status else None,
                codes=tuple(dict.fromkeys(f.code for f in raised)),
            )
        )
        findings.extend(raised)
    findings.extend(declaration_findings(declaration, config))
    findings = dedupe(findings)
    worst = max((RISK_ORDER.index(f.severity) for f in findings), default=0)
    return Assessment(RISK_ORDER[worst], on, registry.source, results, findings, registry.statuses_as_of)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (code, metal, smelter); a smelter listed twice is one concern."""
    seen: set[tuple[str, str | None, str | None]] = set()
    kept = []
    for f in findings:
        key = (f.code, f.metal, f.smelter_id or f.cell)
        if f.smelter_id and key in seen:
            continue
        seen.add(key)
        kept.append(f)
    return kept
