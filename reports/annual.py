"""The annual report in its published shape: per fiscal year and mineral group, coverage, response and
the share of smelters and refiners RMI conformant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.campaign import Campaign
from models.scope_plan import ScopePlan
from reports.fiscal import fiscal_year_of, label
from reports.kpi import KpiRow, count_row, status_list_date
from reports.scope import GROUPS, OTHER_GROUP, group_of, load_scope
from reports.smelters import consolidate
from risk import RiskConfig, load_registry


@dataclass
class AnnualColumn:
    """One fiscal year and mineral group: its campaigns, coverage statement and counts."""

    fiscal_year: int
    period: str
    group: str
    metals: list[str]
    campaigns: list[str]
    coverage: str
    as_of: dt.date
    status_list: dt.date | None
    row: KpiRow

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "fiscal_year": self.fiscal_year,
            "period": self.period,
            "group": self.group,
            "metals": self.metals,
            "campaigns": self.campaigns,
            "coverage": self.coverage,
            "as_of": self.as_of.isoformat(),
            "status_list": self.status_list.isoformat() if self.status_list else None,
            **self.row.to_dict(),
        }


@dataclass
class AnnualReport:
    """The published table: one column per fiscal year and group, and the rules under it."""

    columns: list[AnnualColumn] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"columns": [c.to_dict() for c in self.columns], "rules": self.rules}


def campaign_years(session: Session, start_month: int) -> dict[int, int]:
    """campaign id -> its fiscal year: its plan's, else the year it was created in."""
    planned = dict(
        (c, y)
        for c, y in session.execute(select(ScopePlan.campaign_id, ScopePlan.fiscal_year))
        if c is not None
    )
    return {
        c.id: planned.get(c.id, fiscal_year_of(c.created_at.date(), start_month))
        for c in session.scalars(select(Campaign))
    }


def _coverage(session: Session, campaigns: list[Campaign], suppliers: int) -> str:
    """The plans' coverage statements, or what was surveyed when a campaign had no plan."""
    ids = [c.id for c in campaigns]
    plans = list(
        session.scalars(select(ScopePlan).where(ScopePlan.campaign_id.in_(ids)).order_by(ScopePlan.id))
    )
    statements = [str(p.coverage.get("statement", "")) for p in plans if p.coverage.get("statement")]
    unplanned = [c.name for c in campaigns if c.id not in {p.campaign_id for p in plans}]
    if unplanned:
        statements.append(
            f"Suppliers surveyed in {', '.join(unplanned)}: {suppliers} (no purchase-based plan)"
        )
    return " ".join(statements)


def _groups(campaigns: list[Campaign], minerals: dict[int, set[str]]) -> dict[str, list[str]]:
    """Group -> its metals surveyed by these campaigns, in the published order (3TG, cobalt/mica, other)."""
    covered = {m for c in campaigns for m in minerals.get(c.id, set())}
    out: dict[str, list[str]] = {}
    for group, metals in [*GROUPS.items(), (OTHER_GROUP, tuple(sorted(covered)))]:
        chosen = [m for m in metals if m in covered and group_of(m) == group]
        if chosen:
            out[group] = chosen
    return out


def annual_report(
    session: Session,
    fiscal_years: list[int],
    as_of: dt.date,
    start_month: int,
    file_store: Path | None,
    config: RiskConfig | None = None,
) -> AnnualReport:
    """Every fiscal year's column counted at the end of `as_of` (UTC)."""
    config = config or RiskConfig()
    years = campaign_years(session, start_month)
    all_campaigns = list(session.scalars(select(Campaign).order_by(Campaign.created_at, Campaign.id)))
    report = AnnualReport()
    for year in fiscal_years:
        campaigns = [c for c in all_campaigns if years[c.id] == year]
        day = as_of
        if not campaigns:
            continue
        scope = load_scope(session, campaigns, day, file_store)
        minerals: dict[int, set[str]] = {}
        for case in scope.cases:
            minerals.setdefault(case.campaign.id, set()).update(case.minerals)
        registry = load_registry(session, day)
        found = consolidate(scope.cases, registry, day, config)
        listed = status_list_date(session, day)
        for group, metals in _groups(campaigns, minerals).items():
            mine = [c for c in campaigns if minerals.get(c.id, set()) & set(metals)]
            cases = [k for k in scope.cases if k.campaign in mine]
            row = count_row(group, None, cases, set(metals), found)
            coverage = _coverage(session, mine, row.suppliers_in_scope)
            column = AnnualColumn(
                year,
                label(year, start_month),
                group,
                metals,
                [c.name for c in mine],
                coverage,
                day,
                listed,
                row,
            )
            report.columns.append(column)
    report.rules = annual_rules(report, config)
    return report


def annual_rules(report: AnnualReport, config: RiskConfig) -> list[str]:
    """How each row is counted, written under the table."""
    dates = ", ".join(sorted({f"{c.as_of:%Y-%m-%d}" for c in report.columns}))
    lists = sorted({c.status_list for c in report.columns if c.status_list})
    return [
        "Columns: one per fiscal year and mineral group; 3TG from CMRT campaigns, cobalt/mica from EMRT "
        "campaigns, further minerals where a campaign surveyed them. A campaign belongs to the fiscal year "
        "of its plan (`campaign plan --fiscal-year`), else to the year it was created in.",
        "Assessment coverage: the plan's statement, from the previous fiscal year's purchases mapped to "
        "the group's minerals (commodity-to-minerals map).",
        "Response = suppliers in scope for the group who uploaded a template by the as-of date / suppliers "
        "in scope (each supplier once; a supplier's plan decides which minerals it is in scope for; "
        "exempted cases are left out).",
        "% RMI conformant = smelters and refiners named in complete declarations whose RMI status is "
        f"{', '.join(config.accepted_statuses)} with an audit not expired / unique smelters and refiners "
        "identified (by RMI id and metal). Conformant or active adds "
        f"{', '.join(config.participating_statuses)}; it has its own row, never in place of conformant.",
        f"As of: every column is counted at the end of {dates or 'the report date'} (UTC), with the latest "
        f"RMI status list on or before it ({', '.join(f'{d:%Y-%m-%d}' for d in lists) or 'none imported'}); "
        "pass the published date with --as-of to count a past column again.",
    ]
