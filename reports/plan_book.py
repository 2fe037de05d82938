"""The plan as a workbook staff can read and trim, and what `campaign start --plan` reads back from it."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.campaign import Campaign
from models.scope_plan import PlannedSupplier, ScopePlan
from reports.commodity_map import parse_minerals
from reports.plan import Coverage, PlanDraft, coverage_statement

NOT_SURVEYED = "not in the supplier directory: import it with `minerals suppliers import` and plan again"
SUPPLIER_HEADER = ("Supplier id", "Name", "Minerals", "Parts", "Spend", "Why in scope", "Note")


class PlanBookError(ValueError):
    """The plan workbook cannot be used; the message says why."""


def write_plan_book(draft: PlanDraft, plan_id: int, out: Path) -> None:
    """Sheets Plan (the coverage statement and counts), Suppliers (one row each), Unmapped commodities."""
    c = draft.coverage
    book = Workbook()
    ws = book.active
    ws.title = "Plan"
    shares = c.shares()
    rows: list[tuple[Any, ...]] = [
        ("Plan", plan_id),
        ("Template", draft.template),
        ("Fiscal year", f"FY{draft.fiscal_year}"),
        ("Minerals", "; ".join(draft.minerals)),
        ("Purchases of", f"{c.period}: {c.first_day} to {c.last_day}"),
        ("Coverage", c.statement),
        (),
        ("", "Total purchased", "In scope", "Surveyed", "Surveyed share of in scope"),
        ("Parts", c.parts_total, c.parts_in_scope, c.parts_covered, shares["parts"]),
        ("Spend", c.spend_total, c.spend_in_scope, c.spend_covered, shares["spend"]),
        ("Suppliers", c.suppliers_total, c.suppliers_in_scope, c.suppliers_covered, shares["suppliers"]),
    ]
    for row in rows:
        ws.append(row)
    for r in range(9, 12):
        ws.cell(row=r, column=5).number_format = "0.0%"
    ws["A1"].font = ws["A8"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 60
    sheet = book.create_sheet("Suppliers")
    sheet.append(SUPPLIER_HEADER)
    for line in draft.lines:
        sheet.append(
            (
                line.supplier_key,
                line.name,
                "; ".join(line.minerals),
                "; ".join(line.parts),
                line.spend,
                line.why,
                "" if line.surveyable else NOT_SURVEYED,
            )
        )
    unmapped = book.create_sheet("Unmapped")
    unmapped.append(("Commodity with no mineral in the map (add it with `minerals purchases map`)",))
    for name in c.unmapped:
        unmapped.append((name,))
    book.save(out)


def read_plan_book(path: Path) -> tuple[int, dict[str, list[str]]]:
    """The plan id and the supplier rows left in the workbook (supplier id -> minerals)."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise PlanBookError(f"{path.name} is not a plan workbook ({exc})") from None
    try:
        if "Plan" not in book.sheetnames or "Suppliers" not in book.sheetnames:
            raise PlanBookError(
                f"{path.name} has no Plan and Suppliers sheets: write one with `campaign plan`"
            )
        head: tuple[Any, ...] = next(book["Plan"].iter_rows(min_row=1, max_row=1, values_only=True), ())
        if len(head) < 2 or head[0] != "Plan" or not isinstance(head[1], int | float):
            raise PlanBookError(f"{path.name}: Plan!B1 must hold the plan number")
        chosen: dict[str, list[str]] = {}
        rows: list[tuple[Any, ...]] = list(book["Suppliers"].iter_rows(min_row=2, values_only=True))
        for number, row in enumerate(rows, start=2):
            key = str(row[0]).strip() if row and row[0] is not None else ""
            if not key or (len(row) > 6 and row[6]):
                continue  # blank, or a supplier that cannot be surveyed
            minerals, unknown = parse_minerals(str(row[2] or "") if len(row) > 2 else "")
            if unknown or not minerals:
                raise PlanBookError(
                    f"{path.name}: Suppliers row {number}: minerals {row[2]!r} are not understood"
                )
            chosen[key] = minerals
        return int(head[1]), chosen
    finally:
        book.close()


def apply_plan(session: Session, plan_id: int, chosen: dict[str, list[str]], campaign: str = "") -> ScopePlan:
    """Trim a saved plan to the rows kept in its workbook; refuse rows or minerals it never had, and a plan
    that started another campaign (starting the same campaign again is a retry)."""
    plan = session.get(ScopePlan, plan_id)
    if plan is None:
        raise PlanBookError(f"no plan {plan_id} in this database")
    started = session.get(Campaign, plan.campaign_id) if plan.campaign_id is not None else None
    if started is not None and started.name != campaign:
        raise PlanBookError(f"plan {plan_id} has started campaign {started.name} already; make a new plan")
    planned = {
        p.supplier_key: p
        for p in session.scalars(select(PlannedSupplier).where(PlannedSupplier.plan_id == plan_id))
    }
    extra = sorted(set(chosen) - set(planned))
    if extra:
        raise PlanBookError(f"supplier(s) not in plan {plan_id}: {', '.join(extra[:10])}")
    for key, minerals in chosen.items():
        outside = sorted(set(minerals) - set(plan.minerals))
        if outside:
            raise PlanBookError(f"{key}: {', '.join(outside)} is not among the plan's minerals")
        planned[key].minerals = minerals
    if not chosen:
        raise PlanBookError(f"plan {plan_id} keeps no supplier")
    dropped = [k for k in planned if k not in chosen]
    if dropped:
        session.execute(
            delete(PlannedSupplier).where(
                PlannedSupplier.plan_id == plan_id, PlannedSupplier.supplier_key.in_(dropped)
            )
        )
    kept = [planned[k] for k in chosen]
    names = {f.name for f in fields(Coverage)}
    coverage = Coverage(**{k: v for k, v in plan.coverage.items() if k in names})
    coverage.suppliers_covered = len(kept)
    coverage.parts_covered = len({part for p in kept for part in p.parts})
    coverage.spend_covered = round(sum(p.spend for p in kept), 2)
    coverage.statement = coverage_statement(coverage)
    plan.coverage = coverage.to_dict()
    return plan
