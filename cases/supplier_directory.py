"""The supplier directory: search by id, name or email, sorted by id, name or email, a page at a time (keyset
on the sort value and supplier_id), with each supplier's open cases and the emails the relay refused."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from models.campaign import Campaign
from models.enums import FINAL
from models.outbox import EmailMessage, unresolved_bounce
from models.supplier import Supplier
from models.survey import Survey

PAGE_SIZE = 50
SORT_FIELDS = {"id": "supplier_id", "name": "name", "email": "email"}  # sort key -> Supplier attribute
SORTS: dict[str, Any] = {key: getattr(Supplier, field) for key, field in SORT_FIELDS.items()}


@dataclass(frozen=True)
class DirectoryRow:
    """One supplier as the directory lists it."""

    supplier_id: str
    name: str
    contact_name: str
    email: str
    language: str
    open_cases: int
    bounced: int  # emails to it refused for good and not yet sent again


@dataclass(frozen=True)
class DirectoryPage:
    """One page of the directory; `next_after` is the cursor of the next page (None on the last)."""

    rows: list[DirectoryRow]
    next_after: str | None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _bounced_suppliers() -> ColumnElement[bool]:
    refused = (
        select(Survey.supplier_id)
        .join(EmailMessage, EmailMessage.survey_id == Survey.id)
        .where(unresolved_bounce())
    )
    return Supplier.id.in_(refused)


def _cursor(after: str) -> tuple[str, str] | None:
    """The (sort value, supplier_id) a page's cursor names; None when it is not one of ours."""
    try:
        key, supplier_id = json.loads(after)
    except (ValueError, TypeError):
        return None
    return (key, supplier_id) if isinstance(key, str) and isinstance(supplier_id, str) else None


def find_suppliers(
    session: Session,
    q: str = "",
    *,
    bounced: bool = False,
    sort: str = "id",
    desc: bool = False,
    after: str = "",
    limit: int = PAGE_SIZE,
) -> DirectoryPage:
    """Suppliers whose id, name, contact or email contains `q` (all when empty), sorted by a SORTS key (then
    supplier_id), a page after the cursor `after`."""
    sort = sort if sort in SORTS else "id"
    column = SORTS[sort]
    if desc:
        query = select(Supplier).order_by(column.desc(), Supplier.supplier_id.desc())
    else:
        query = select(Supplier).order_by(column, Supplier.supplier_id)
    query = query.limit(limit + 1)
    if q:
        pattern = _like(q.strip().lower())
        fields = (Supplier.supplier_id, Supplier.name, Supplier.contact_name, Supplier.email)
        query = query.where(or_(*(func.lower(f).like(pattern, escape="\\") for f in fields)))
    if bounced:
        query = query.where(_bounced_suppliers())
    cursor = _cursor(after) if after else None
    if cursor is not None:
        key, last = cursor
        if desc:
            query = query.where(or_(column < key, and_(column == key, Supplier.supplier_id < last)))
        else:
            query = query.where(or_(column > key, and_(column == key, Supplier.supplier_id > last)))
    found = list(session.scalars(query))
    more = len(found) > limit
    found = found[:limit]
    ids = [s.id for s in found]
    open_cases = dict(
        session.execute(
            select(Survey.supplier_id, func.count())
            .where(Survey.supplier_id.in_(ids), Survey.stage.not_in([s.value for s in FINAL]))
            .group_by(Survey.supplier_id)
        ).all()
    )
    refused = dict(
        session.execute(
            select(Survey.supplier_id, func.count())
            .join(EmailMessage, EmailMessage.survey_id == Survey.id)
            .where(Survey.supplier_id.in_(ids), unresolved_bounce())
            .group_by(Survey.supplier_id)
        ).all()
    )
    rows = [
        DirectoryRow(
            s.supplier_id,
            s.name,
            s.contact_name,
            s.email,
            s.language,
            int(open_cases.get(s.id, 0)),
            int(refused.get(s.id, 0)),
        )
        for s in found
    ]
    if not (more and found):
        return DirectoryPage(rows, None)
    last_row = found[-1]
    return DirectoryPage(rows, json.dumps([getattr(last_row, SORT_FIELDS[sort]), last_row.supplier_id]))


def supplier_cases(session: Session, supplier_id: str) -> tuple[Supplier, list[tuple[int, str, str]]] | None:
    """A supplier and its cases as (case id, campaign, stage), newest first; None when unknown."""
    supplier = session.scalar(select(Supplier).where(Supplier.supplier_id == supplier_id))
    if supplier is None:
        return None
    rows = session.execute(
        select(Survey.id, Campaign.name, Survey.stage)
        .join(Campaign, Campaign.id == Survey.campaign_id)
        .where(Survey.supplier_id == supplier.id)
        .order_by(Survey.id.desc())
    ).all()
    return supplier, [(int(i), str(c), str(st)) for i, c, st in rows]
