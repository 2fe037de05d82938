"""Import purchase lines from CSV or XLSX: columns mapped by header, every bad row named, all or nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.purchases import Purchase, PurchaseImport
from reports.fiscal import fiscal_year_of, parse_fiscal_year
from reports.table_file import header_key, read_records

# Field -> the headers it is recognised by (compared after header_key).
HEADERS: dict[str, tuple[str, ...]] = {
    "supplier_key": ("supplier id", "supplier", "supplier code", "supplier no", "vendor id", "vendor"),
    "part_number": ("part number", "part no", "part", "material number", "material no", "item number"),
    "description": ("description", "part description", "material description", "item description"),
    "commodity": ("commodity", "material class", "commodity class", "commodity code", "category"),
    "quantity": ("quantity", "qty"),
    "spend": ("spend", "amount", "spend amount", "net value", "value", "purchase value"),
    "purchased_on": ("purchase date", "date", "po date", "order date", "invoice date"),
    "fiscal_year": ("fiscal year", "fy"),
}
REQUIRED = ("supplier_key", "part_number")


@dataclass
class PurchaseFile:
    """The lines read and every problem found (line 0: the file as a whole)."""

    rows: list[Purchase] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _columns(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    keys = [header_key(c) for c in cells]
    columns: dict[str, int] = {}
    for name, names in HEADERS.items():
        index = next((keys.index(n) for n in names if n in keys), None)
        if index is not None:
            columns[name] = index
    missing = [n for n in REQUIRED if n not in columns]
    return columns, [HEADERS[n][0] for n in missing]


def _number(text: str) -> float:
    return float(text.replace(",", "").replace(" ", ""))


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip()[:10])


class _Row:
    """One record's cells by field, with problems collected rather than raised."""

    def __init__(self, cells: list[str], columns: dict[str, int]) -> None:
        self.values = {n: cells[i].strip() if i < len(cells) else "" for n, i in columns.items()}
        self.problems: list[str] = []

    def text(self, name: str) -> str:
        return self.values.get(name, "")

    def parsed(self, name: str, parse: object, what: str) -> object:
        raw = self.text(name)
        if not raw:
            return None
        try:
            return parse(raw)  # type: ignore[operator]
        except ValueError:
            self.problems.append(f"{name.replace('_', ' ')} {raw!r} is not {what}")
            return None


def _purchase(row: _Row, default_year: int | None, start_month: int) -> Purchase | None:
    for name in REQUIRED:
        if not row.text(name):
            row.problems.append(f"{HEADERS[name][0]} is empty")
    quantity = row.parsed("quantity", _number, "a number")
    spend = row.parsed("spend", _number, "a number")
    day = row.parsed("purchased_on", _date, "a date (YYYY-MM-DD)")
    year = row.parsed("fiscal_year", parse_fiscal_year, "a fiscal year (2025 or FY2025)")
    if isinstance(day, dt.date):
        of_day = fiscal_year_of(day, start_month)
        if year is not None and year != of_day:
            row.problems.append(f"purchase date {day} is in FY{of_day}, not FY{year}")
        year = of_day
    if year is None:
        year = default_year
    if year is None:
        row.problems.append("no purchase date or fiscal year (give one, or --fiscal-year)")
    elif default_year is not None and year != default_year:
        row.problems.append(f"this purchase is in FY{year}, the import is for FY{default_year}")
    if row.problems:
        return None
    return Purchase(
        supplier_key=row.text("supplier_key"),
        part_number=row.text("part_number"),
        description=row.text("description")[:500],
        commodity=row.text("commodity")[:200],
        quantity=quantity,
        spend=spend,
        purchased_on=day,
        fiscal_year=year,
    )


def read_purchases(name: str, data: bytes, fiscal_year: int | None, start_month: int) -> PurchaseFile:
    """Every line of a purchase file, or the problems that keep it from being imported."""
    result = PurchaseFile()
    records = [(n, cells) for n, cells in read_records(name, data) if any(c.strip() for c in cells)]
    if not records:
        result.errors.append("the file has no header row")
        return result
    header_line, header = records[0]
    columns, missing = _columns(header)
    if missing:
        result.errors.append(
            f"line {header_line}: no column for {', '.join(missing)} (header: {', '.join(header)})"
        )
        return result
    for line, cells in records[1:]:
        row = _Row(cells, columns)
        purchase = _purchase(row, fiscal_year, start_month)
        if purchase is None:
            result.errors.append(f"line {line}: {'; '.join(row.problems)}")
        else:
            result.rows.append(purchase)
    if not result.rows and not result.errors:
        result.errors.append("the file has a header but no purchase lines")
    return result


class AlreadyImported(ValueError):
    """The same file (same bytes) was imported before."""


def store_purchases(
    session: Session, name: str, data: bytes, rows: list[Purchase], actor: str
) -> PurchaseImport:
    """Keep the lines of one file in one transaction (the caller commits), audited."""
    sha = hashlib.sha256(data).hexdigest()
    before = session.scalar(select(PurchaseImport).where(PurchaseImport.sha256 == sha))
    if before is not None:
        raise AlreadyImported(
            f"{name} was imported before (import {before.id}, {before.created_at:%Y-%m-%d})"
        )
    batch = PurchaseImport(file_name=name[:300], sha256=sha, rows=len(rows), actor=actor)
    session.add(batch)
    session.flush()
    for row in rows:
        row.import_id = batch.id
    session.add_all(rows)
    years = sorted({r.fiscal_year for r in rows})
    session.add(
        AuditEvent(
            actor=actor,
            action="purchases.import",
            subject=f"purchase-import:{batch.id}",
            after={"file": name, "rows": len(rows), "fiscal_years": years},
        )
    )
    return batch
