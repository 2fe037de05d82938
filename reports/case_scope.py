"""What a case is asked about: the minerals its campaign's plan gave the supplier, and only those."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.scope_plan import PlannedSupplier, ScopePlan
from models.supplier import Supplier
from models.survey import Survey
from mrt.model import Issue


def planned_for(session: Session, survey_id: int) -> tuple[str, ...]:
    """The minerals the plan of the case's campaign gave its supplier; empty when the campaign had no plan."""
    row = session.execute(
        select(PlannedSupplier.minerals)
        .join(ScopePlan, ScopePlan.id == PlannedSupplier.plan_id)
        .join(Survey, Survey.campaign_id == ScopePlan.campaign_id)
        .join(Supplier, Supplier.id == Survey.supplier_id)
        .where(Survey.id == survey_id, PlannedSupplier.supplier_key == Supplier.supplier_id)
    ).first()
    return tuple(row[0]) if row else ()


def within_scope(issues: Iterable[Issue], minerals: tuple[str, ...]) -> list[Issue]:
    """The issues left once those about minerals the supplier is not asked about are dropped (a supplier
    in scope for tin only is not asked about gold); every issue when the case has no plan."""
    if not minerals:
        return list(issues)
    wanted = {m.casefold() for m in minerals}
    return [i for i in issues if not i.params.get("mineral") or str(i.params["mineral"]).casefold() in wanted]
