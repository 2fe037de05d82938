"""`minerals suppliers`: import the supplier list the campaigns are sent to."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cli.context import DataDir, acting, err, fail, out, sessions, settings_for
from cli.supplier_file import SupplierRow, read_supplier_file
from models.audit import AuditEvent
from models.supplier import Supplier

app = typer.Typer(help="Suppliers: import and list.", no_args_is_help=True)
_CHUNK = 500


def upsert_suppliers(
    factory: sessionmaker[Session], rows: Sequence[SupplierRow], actor: str = "system"
) -> tuple[int, int]:
    """Create or update suppliers by supplier_id in one transaction, audited; returns (created, updated)."""
    created = updated = 0
    with factory.begin() as session:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            ids = [r.supplier_id for r in chunk]
            query = select(Supplier).where(Supplier.supplier_id.in_(ids))
            existing = {s.supplier_id: s for s in session.scalars(query)}
            for row in chunk:
                values = {
                    "name": row.name,
                    "email": row.email,
                    "contact_name": row.contact_name,
                    "language": row.language,
                    "owner_email": row.owner_email,
                    "minerals": list(row.minerals),
                }
                supplier = existing.get(row.supplier_id)
                subject = f"supplier:{row.supplier_id}"
                if supplier is None:
                    session.add(Supplier(supplier_id=row.supplier_id, **values))
                    session.add(
                        AuditEvent(actor=actor, action="supplier.created", subject=subject, after=values)
                    )
                    created += 1
                elif any(getattr(supplier, k) != v for k, v in values.items()):
                    before = {k: getattr(supplier, k) for k, v in values.items() if getattr(supplier, k) != v}
                    for key, value in values.items():
                        setattr(supplier, key, value)
                    after = {k: values[k] for k in before}
                    event = AuditEvent(
                        actor=actor, action="supplier.updated", subject=subject, before=before, after=after
                    )
                    session.add(event)
                    updated += 1
    return created, updated


def load_rows(file: Path) -> list[SupplierRow]:
    """Read a supplier list or exit listing every bad line (nothing is imported then)."""
    result = read_supplier_file(file)
    if not result.ok:
        for error in result.errors[:200]:
            err.print(f"{file.name}: {error}", highlight=False, markup=False)
        if len(result.errors) > 200:
            err.print(f"... and {len(result.errors) - 200} more")
        fail(f"{len(result.errors)} problem(s) in {file.name}; nothing was imported")
    return result.rows


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or XLSX")],
    data_dir: DataDir = None,
) -> None:
    """Import or update suppliers by supplier_id; nothing is imported when any row is bad."""
    settings = settings_for(data_dir)
    rows = load_rows(file)
    created, updated = upsert_suppliers(sessions(settings), rows, actor=acting())
    unchanged = len(rows) - created - updated
    out.print(f"{len(rows)} suppliers read: {created} created, {updated} updated, {unchanged} unchanged")


@app.command("list")
def list_(data_dir: DataDir = None) -> None:
    """List the imported suppliers."""
    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        for s in session.scalars(select(Supplier).order_by(Supplier.supplier_id)):
            out.print(f"{s.supplier_id}\t{s.name}\t{s.email}\t{s.language}", highlight=False, markup=False)
