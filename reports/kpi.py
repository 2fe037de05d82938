"""The annual KPI table: response, declarations and RMI conformance per mineral group and per metal."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.registry import RegistryImport
from reports.engagement import engagement, engagement_notes
from reports.scope import GROUPS, OTHER_GROUP, Case, Scope, group_of
from reports.smelters import Consolidated, SmelterLine, consolidate
from risk import Registry, RiskConfig


def share(part: int, whole: int) -> float | None:
    """part / whole, None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass
class KpiRow:
    """One line of the table: a mineral group (metal None) or one metal of it."""

    group: str
    metal: str | None
    suppliers_in_scope: int = 0
    responded: int = 0
    complete: int = 0
    smelters: int = 0
    conformant: int = 0
    active: int = 0
    other: int = 0
    data_gaps: int = 0
    corrective_action: int = 0

    @property
    def label(self) -> str:
        """The group name, or the metal indented under it."""
        return self.metal or self.group

    @property
    def response_rate(self) -> float | None:
        """Responded / suppliers in scope."""
        return share(self.responded, self.suppliers_in_scope)

    @property
    def conformant_share(self) -> float | None:
        """Conformant / unique smelters identified."""
        return share(self.conformant, self.smelters)

    @property
    def participating_share(self) -> float | None:
        """(Conformant + active) / unique smelters identified."""
        return share(self.conformant + self.active, self.smelters)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, ratios included."""
        return {
            **asdict(self),
            "response_rate": self.response_rate,
            "conformant_share": self.conformant_share,
            "participating_share": self.participating_share,
        }


@dataclass
class KpiReport:
    """The table, the date it counts at, the RMI status list it used, and its counting rules."""

    as_of: dt.date
    status_list_date: dt.date | None
    campaigns: list[str]
    rows: list[KpiRow] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    engagement: dict[str, Any] = field(default_factory=dict)  # smelter outreach, audits ending soon

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "as_of": self.as_of.isoformat(),
            "status_list_date": self.status_list_date.isoformat() if self.status_list_date else None,
            "campaigns": self.campaigns,
            "rows": [r.to_dict() for r in self.rows],
            "rules": self.rules,
            "engagement": self.engagement,
        }


def status_list_date(session: Session, as_of: dt.date) -> dt.date | None:
    """The date of the latest RMI status list imported for a date on or before `as_of`."""
    return session.scalar(
        select(RegistryImport.as_of)
        .where(RegistryImport.kind == "status-list", RegistryImport.as_of <= as_of)
        .order_by(RegistryImport.as_of.desc())
        .limit(1)
    )


def count_row(
    group: str, metal: str | None, cases: list[Case], metals: set[str], found: Consolidated
) -> KpiRow:
    """One row counted over the cases in scope for any of `metals` (a supplier counts once)."""
    row = KpiRow(group, metal)
    by_supplier: dict[str, list[Case]] = {}
    for case in cases:
        if metals & set(case.minerals):
            by_supplier.setdefault(case.supplier.supplier_id, []).append(case)
    row.suppliers_in_scope = len(by_supplier)
    row.responded = sum(any(c.responded_at for c in cs) for cs in by_supplier.values())
    row.complete = sum(any(c.declared for c in cs) for cs in by_supplier.values())
    # A smelter counts when a supplier in scope for its metal names it (a plan may narrow a supplier's).
    scoped = {key: {m for c in cs for m in c.minerals} for key, cs in by_supplier.items()}
    lines: list[SmelterLine] = [
        line
        for line in found.for_metals(metals)
        if any(line.metal in scoped[key] for key in line.suppliers & set(by_supplier))
    ]
    row.smelters = len(lines)
    row.conformant = sum(line.standing == "conformant" for line in lines)
    row.active = sum(line.standing == "active" for line in lines)
    row.other = row.smelters - row.conformant - row.active
    row.data_gaps = sum(1 for g in found.gaps if g.supplier_id in by_supplier and (g.metal in metals))
    row.corrective_action = sum(
        any(c.under_corrective_action and (row.metal is None or row.metal in c.finding_metals) for c in cs)
        for cs in by_supplier.values()
    )
    return row


def _metals_by_group(cases: list[Case]) -> dict[str, list[str]]:
    covered = dict.fromkeys(m for c in cases for m in c.minerals)
    out: dict[str, list[str]] = {}
    for group, metals in [*GROUPS.items(), (OTHER_GROUP, tuple(covered))]:
        chosen = [m for m in metals if m in covered and group_of(m) == group]
        if chosen:
            out[group] = chosen
    return out


def kpi_report(
    session: Session, scope: Scope, registry: Registry, config: RiskConfig | None = None
) -> KpiReport:
    """The KPI table for the cases of a scope, statuses as the registry states them at the report date."""
    config = config or RiskConfig()
    found = consolidate(scope.cases, registry, scope.as_of, config)
    listed = status_list_date(session, scope.as_of)
    report = KpiReport(scope.as_of, listed, [c.name for c in scope.campaigns])
    for group, metals in _metals_by_group(scope.cases).items():
        for metal in [None, *metals]:
            report.rows.append(count_row(group, metal, scope.cases, {metal} if metal else set(metals), found))
    report.rules = counting_rules(report, config)
    report.engagement = engagement(session, [c.survey_id for c in scope.cases], scope.as_of, registry, config)
    report.rules += engagement_notes(report.engagement, scope.as_of, config)
    return report


def counting_rules(report: KpiReport, config: RiskConfig) -> list[str]:
    """The rules written under the table, so a reader knows what each number counts."""
    snapshot = (
        f"the RMI status list of {report.status_list_date:%Y-%m-%d} (the latest on or before the report date)"
        if report.status_list_date
        else "no RMI status list (none imported on or before the report date): every smelter counts as other"
    )
    return [
        f"Counted at the end of {report.as_of:%Y-%m-%d} (UTC), campaign(s) {', '.join(report.campaigns)}.",
        "Suppliers in scope: suppliers these campaigns survey for the group or metal, each counted once; "
        "exempted cases and suppliers enrolled after the report date are excluded.",
        "Response rate = suppliers who uploaded a template by the report date / suppliers in scope.",
        "Complete declarations: suppliers whose upload passed the template check (no errors); the last "
        "complete upload on or before the report date is the one counted.",
        "Unique smelters identified: smelters named in complete declarations, deduplicated by RMI id (CID) "
        "and metal; a company refining two metals counts once per metal.",
        f"Smelter status from {snapshot}. Conformant: {', '.join(config.accepted_statuses)} with an audit "
        f"not expired; active: {', '.join(config.participating_statuses)}; other: any other status or none.",
        "Conformant share = conformant / unique smelters identified; participating share = "
        "(conformant + active) / unique smelters identified.",
        "Excluded from the smelter counts and reported as data gaps: rows marked 'Smelter not listed' "
        "without a registry match, 'Smelter not yet identified', and names that match no RMI facility.",
        "Under corrective action: suppliers whose case is at risk-found on the report date; per metal, "
        "those whose findings name that metal.",
    ]


def response_curve(scope: Scope) -> list[tuple[dt.date, int]]:
    """Suppliers who had responded by the end of each day, from the campaigns' start to the report date."""
    first: dict[str, dt.date] = {}
    for case in scope.cases:
        if case.responded_at is not None:
            day = case.responded_at.date()
            key = case.supplier.supplier_id
            first[key] = min(day, first.get(key, day))
    starts = [(c.started_at or c.created_at).date() for c in scope.campaigns]
    start = min([*starts, *first.values()], default=scope.as_of)
    days = sorted({start, scope.as_of, *first.values()})
    counts = sorted(first.values())
    return [(day, sum(1 for d in counts if d <= day)) for day in days if day <= scope.as_of]
