"""Scoping a campaign: suppliers bought from in the previous fiscal year whose parts hold its minerals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.purchases import Purchase
from models.scope_plan import PlannedSupplier, ScopePlan
from models.supplier import Supplier
from reports.commodity_map import load_map
from reports.fiscal import fiscal_period, label
from reports.kpi import share


@dataclass
class PlanLine:
    """One in-scope supplier: its minerals, the parts that put it in scope, and why."""

    supplier_key: str
    name: str  # empty when the supplier is not in the directory (it cannot be surveyed then)
    minerals: list[str]
    parts: list[str]
    spend: float
    why: str

    @property
    def surveyable(self) -> bool:
        """In the supplier directory, so a campaign can write to it."""
        return bool(self.name)


@dataclass
class Coverage:
    """What the plan covers of the previous fiscal year's purchases, and the sentence that says so."""

    period: str
    first_day: str
    last_day: str
    minerals: list[str]
    parts_total: int = 0
    parts_in_scope: int = 0
    parts_covered: int = 0
    spend_total: float = 0.0
    spend_in_scope: float = 0.0
    spend_covered: float = 0.0
    suppliers_total: int = 0
    suppliers_in_scope: int = 0
    suppliers_covered: int = 0
    unmapped: list[str] = field(default_factory=list)  # commodities the map gives no mineral
    statement: str = ""

    def shares(self) -> dict[str, float | None]:
        """Covered / in scope for parts, spend and suppliers."""
        return {
            "parts": share(self.parts_covered, self.parts_in_scope),
            "spend": self.spend_covered / self.spend_in_scope if self.spend_in_scope else None,
            "suppliers": share(self.suppliers_covered, self.suppliers_in_scope),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, shares included."""
        return {**asdict(self), "shares": self.shares()}


@dataclass
class PlanDraft:
    """A plan before it is saved: template, fiscal year, minerals, lines and coverage."""

    template: str
    fiscal_year: int
    minerals: list[str]
    lines: list[PlanLine]
    coverage: Coverage


def coverage_statement(c: Coverage) -> str:
    """The coverage row of the published table, in words."""
    metals = " or ".join([", ".join(c.minerals[:-1]), c.minerals[-1]] if len(c.minerals) > 1 else c.minerals)
    pct = share(c.parts_covered, c.parts_in_scope)
    covered = f"{pct:.1%}" if pct is not None else "none"
    return (
        f"All parts and materials purchased during {c.period} containing {metals} "
        f"({c.parts_in_scope} of {c.parts_total} parts); all suppliers from which they were purchased "
        f"({c.suppliers_in_scope} of {c.suppliers_total} suppliers bought from). "
        f"Surveyed: {c.suppliers_covered} supplier(s), {covered} of those parts."
    )


def build_plan(
    session: Session, template: str, fiscal_year: int, minerals: list[str], start_month: int
) -> PlanDraft:
    """The in-scope suppliers of a campaign for `fiscal_year`, from the purchases of the year before."""
    bought = fiscal_year - 1
    first, last = fiscal_period(bought, start_month)
    mapping = load_map(session)
    purchases = list(session.scalars(select(Purchase).where(Purchase.fiscal_year == bought)))
    wanted = set(minerals)
    per_supplier: dict[str, dict[str, Any]] = {}
    coverage = Coverage(label(bought, start_month), first.isoformat(), last.isoformat(), list(minerals))
    unmapped: set[str] = set()
    all_parts: set[str] = set()
    in_scope_parts: dict[str, str] = {}  # part -> supplier
    for p in purchases:
        all_parts.add(p.part_number)
        coverage.spend_total += p.spend or 0.0
        found = mapping.minerals(p.commodity) if p.commodity else set()
        if not found:
            unmapped.add(p.commodity or "(no commodity)")
        hits = found & wanted
        if not hits:
            continue
        entry = per_supplier.setdefault(p.supplier_key, {"minerals": set(), "parts": {}, "spend": 0.0})
        entry["minerals"] |= hits
        entry["parts"].setdefault(
            p.part_number, f"{p.part_number} ({p.commodity}: {', '.join(sorted(hits))})"
        )
        entry["spend"] += p.spend or 0.0
        in_scope_parts[p.part_number] = p.supplier_key
        coverage.spend_in_scope += p.spend or 0.0
    names: dict[str, str] = {
        k: n
        for k, n in session.execute(
            select(Supplier.supplier_id, Supplier.name).where(Supplier.supplier_id.in_(per_supplier))
        )
    }
    lines = []
    for key in sorted(per_supplier):
        entry = per_supplier[key]
        parts = sorted(entry["parts"])
        why = f"bought in {coverage.period}: " + "; ".join(entry["parts"][p] for p in parts)
        ordered = [m for m in minerals if m in entry["minerals"]]
        lines.append(PlanLine(key, names.get(key, ""), ordered, parts, round(entry["spend"], 2), why))
    covered = {line.supplier_key for line in lines if line.surveyable}
    coverage.parts_total = len(all_parts)
    coverage.parts_in_scope = len(in_scope_parts)
    coverage.parts_covered = sum(1 for s in in_scope_parts.values() if s in covered)
    coverage.spend_covered = sum(line.spend for line in lines if line.surveyable)
    coverage.suppliers_total = len({p.supplier_key for p in purchases})
    coverage.suppliers_in_scope = len(lines)
    coverage.suppliers_covered = len(covered)
    coverage.unmapped = sorted(unmapped)
    coverage.spend_total, coverage.spend_in_scope = (
        round(coverage.spend_total, 2),
        round(coverage.spend_in_scope, 2),
    )
    coverage.statement = coverage_statement(coverage)
    return PlanDraft(template, fiscal_year, list(minerals), lines, coverage)


def save_plan(session: Session, draft: PlanDraft, actor: str) -> ScopePlan:
    """Keep the plan and its surveyable suppliers (the caller commits), audited."""
    plan = ScopePlan(
        fiscal_year=draft.fiscal_year,
        template=draft.template,
        minerals=draft.minerals,
        coverage=draft.coverage.to_dict(),
        actor=actor,
    )
    session.add(plan)
    session.flush()
    session.add_all(
        PlannedSupplier(
            plan_id=plan.id,
            supplier_key=line.supplier_key,
            minerals=line.minerals,
            parts=line.parts,
            spend=line.spend,
        )
        for line in draft.lines
        if line.surveyable
    )
    session.add(
        AuditEvent(
            actor=actor,
            action="campaign.planned",
            subject=f"plan:{plan.id}",
            after={
                "template": draft.template,
                "fiscal_year": draft.fiscal_year,
                "suppliers": draft.coverage.suppliers_covered,
            },
        )
    )
    return plan
