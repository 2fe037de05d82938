"""Bulk work on chosen cases: who they are, one audit event per case, assigning their owner, and exporting
them as CSV or XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cases.contact import apply_changes
from models.audit import AuditEvent
from models.enums import Stage
from models.supplier import Supplier, is_email_address
from models.survey import Survey

LIMIT = 5_000  # cases one bulk action may touch: beyond this, narrow the filter
COLUMNS = ("case", "campaign", "supplier_id", "supplier", "stage", "due", "reminders", "risk", "owner")


class BulkError(ValueError):
    """The bulk action cannot be done as asked; the message says what to change."""


@dataclass(frozen=True)
class Target:
    """A case a bulk action is about to touch."""

    id: int
    workflow_id: str
    stage: Stage
    supplier_id: str
    supplier: str
    owner: str


def parse_ids(values: Iterable[str]) -> list[int]:
    """Case ids from form fields (one per field, or comma-separated), in order, without repeats."""
    ids: dict[int, None] = {}
    for value in values:
        for part in value.split(","):
            if part.strip():
                try:
                    ids[int(part)] = None
                except ValueError:
                    raise BulkError(f"{part.strip()!r} is not a case number") from None
    return list(ids)


def targets(session: Session, ids: Sequence[int]) -> list[Target]:
    """The cases with these ids, in the order given; an unknown id is an error, never skipped silently."""
    if len(ids) > LIMIT:
        raise BulkError(
            f"{len(ids):,} cases chosen; a bulk action takes at most {LIMIT:,}: narrow the filter"
        )
    found: dict[int, Target] = {}
    for start in range(0, len(ids), 500):  # bounded IN lists
        rows = session.execute(
            select(
                Survey.id,
                Survey.workflow_id,
                Survey.stage,
                Supplier.supplier_id,
                Supplier.name,
                Supplier.owner_email,
            )
            .join(Supplier, Supplier.id == Survey.supplier_id)
            .where(Survey.id.in_(ids[start : start + 500]))
        ).all()
        found.update({r[0]: Target(r[0], r[1], Stage(r[2]), r[3], r[4], r[5]) for r in rows})
    missing = [i for i in ids if i not in found]
    if missing:
        raise BulkError(f"there is no case {', '.join(map(str, missing[:10]))}")
    return [found[i] for i in ids]


def record(
    factory: sessionmaker[Session],
    action: str,
    actor: str,
    cases: Iterable[Target],
    details: Mapping[str, Any],
) -> None:
    """One `survey.bulk-<action>` audit event per case, with what was asked."""
    with factory.begin() as session:
        for case in cases:
            session.add(
                AuditEvent(
                    actor=actor,
                    action=f"survey.bulk-{action}",
                    subject=f"survey:{case.id}",
                    after=dict(details),
                )
            )


def assign_owner(factory: sessionmaker[Session], cases: Sequence[Target], owner: str, actor: str) -> int:
    """Make `owner` the internal owner of the cases' suppliers (audited per supplier and per case);
    returns how many suppliers changed."""
    owner = owner.strip().lower()
    if not is_email_address(owner):
        raise BulkError(f"{owner!r} is not an email address (name@domain.tld)")
    changed = 0
    with factory.begin() as session:
        by_supplier = {c.supplier_id: c for c in cases}
        for supplier in session.scalars(select(Supplier).where(Supplier.supplier_id.in_(by_supplier))):
            changed += bool(apply_changes(session, supplier, {"owner_email": owner}, actor))
        for case in cases:
            session.add(
                AuditEvent(
                    actor=actor,
                    action="survey.bulk-assign",
                    subject=f"survey:{case.id}",
                    before={"owner": case.owner},
                    after={"owner": owner},
                )
            )
    return changed


def export_row(row: Mapping[str, Any]) -> list[Any]:
    """A listed case as the exported columns (COLUMNS)."""
    due = row["due_at"]
    due = due.replace(tzinfo=due.tzinfo or dt.UTC).strftime("%Y-%m-%d %H:%M") if due else ""
    return [
        row["id"],
        row["campaign"],
        row["supplier_id"],
        row["supplier"],
        row["stage"],
        due,
        row["reminders_sent"],
        row["risk"] or "",
        row["owner"],
    ]


def _safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula starts with a quote (suppliers write supplier names)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def to_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The cases as CSV (UTF-8 with a BOM, so Excel reads accents), a header row first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([_safe(v) for v in export_row(r)] for r in rows)
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The cases as one XLSX sheet "Cases", a header row first."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cases")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_safe(v) for v in export_row(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
