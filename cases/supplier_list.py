"""Read and validate a supplier list (CSV or XLSX), every bad row reported with its line and reason, and
import the valid list (nothing when any row is bad). CLI and console."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import i18n
from cases.contact import apply_changes
from models.audit import AuditEvent
from models.supplier import Supplier, is_email_address

REQUIRED = ("supplier_id", "name", "email")
OPTIONAL = ("contact_name", "language", "owner_email", "minerals")
# The RMI templates' languages; those without a catalog (i18n.available()) read English.
LANGUAGES = frozenset({*i18n.LANGUAGES, "it", "tr"})
MAX_ROWS = 100_000
_SUPPLIER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_MINERAL = re.compile(r"^[a-z][a-z ()/-]{1,39}$")
_SPLIT = re.compile(r"[;,|]")
_CHUNK = 500


@dataclass(frozen=True)
class SupplierRow:
    """One valid supplier line."""

    line: int
    supplier_id: str
    name: str
    email: str
    contact_name: str = ""
    language: str = "en"
    owner_email: str = ""
    minerals: tuple[str, ...] = ()

    def values(self) -> dict[str, Any]:
        """The supplier's columns this line sets."""
        return {
            "name": self.name,
            "email": self.email,
            "contact_name": self.contact_name,
            "language": self.language,
            "owner_email": self.owner_email,
            "minerals": list(self.minerals),
        }


@dataclass(frozen=True)
class RowError:
    """Why one line (0 for the whole file) cannot be imported."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass
class SupplierFile:
    """The outcome of reading a supplier list: valid rows and every error found."""

    rows: list[SupplierRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the whole file can be imported."""
        return not self.errors


def read_supplier_file(path: Path) -> SupplierFile:
    """Read a CSV or XLSX supplier list and validate every row."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SupplierFile(errors=[RowError(0, f"{path}: {exc.strerror or exc}")])
    return read_supplier_list(path.name, data)


def read_supplier_list(name: str, data: bytes) -> SupplierFile:
    """Validate every row of a supplier list's bytes; the file name's suffix says CSV or XLSX."""
    suffix = Path(name).suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm"}:
            records = list(_xlsx_records(data))
        elif suffix in {".csv", ".txt", ""}:
            records = list(_csv_records(data))
        else:
            return SupplierFile(errors=[RowError(0, f"{name}: use a .csv or .xlsx file")])
    except _FileProblem as exc:
        return SupplierFile(errors=[RowError(0, f"{name}: {exc}")])
    return validate_records(records)


class _FileProblem(Exception):
    """The file as a whole cannot be read as a table."""


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _FileProblem(f"not UTF-8 text (byte {exc.start}); save the CSV as UTF-8") from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise _FileProblem(f"line {reader.line_num}: {exc}") from None


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    from mrt.gate import Package
    from mrt.model import Unreadable

    try:
        Package(data)  # the templates' own checks first: no zip bomb, no XML entities
    except Unreadable as exc:
        raise _FileProblem(
            f"not a readable .xlsx workbook: {exc.message[:1].lower()}{exc.message[1:]}"
        ) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError) as exc:
        raise _FileProblem(f"not a readable .xlsx workbook ({exc})") from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if v is None else _cell_text(v) for v in values]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def validate_records(records: Iterable[tuple[int, list[str]]]) -> SupplierFile:
    """Validate (line number, cells) records whose first non-empty one is the header."""
    result = SupplierFile()
    header: dict[str, int] | None = None
    seen: dict[str, int] = {}
    for line, cells in records:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if header is None:
            header = _header(line, cells, result.errors)
            if header is None:
                return result
            continue
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            result.errors.append(RowError(line, f"more than {MAX_ROWS} rows; split the file"))
            return result
        row = _row(line, cells, header, result.errors)
        if row is None:
            continue
        if row.supplier_id in seen:
            result.errors.append(
                RowError(line, f"supplier_id {row.supplier_id!r} already on line {seen[row.supplier_id]}")
            )
            continue
        seen[row.supplier_id] = line
        result.rows.append(row)
    if header is None:
        result.errors.append(RowError(0, "the file is empty; expected a header row"))
    elif not result.rows and not result.errors:
        result.errors.append(RowError(0, "the file has a header but no supplier rows"))
    return result


def _header(line: int, cells: list[str], errors: list[RowError]) -> dict[str, int] | None:
    names = [c.lower().replace(" ", "_").replace("-", "_") for c in cells]
    known = set(REQUIRED) | set(OPTIONAL)
    problems = [f"unknown column {c!r}" for c, n in zip(cells, names, strict=True) if n and n not in known]
    twice = sorted({n for n in names if n and names.count(n) > 1})
    problems += [f"column {n!r} appears twice" for n in twice]
    problems += [f"missing required column {n!r}" for n in REQUIRED if n not in names]
    if problems:
        allowed = ", ".join(REQUIRED + OPTIONAL)
        errors.append(RowError(line, "; ".join(problems) + f" (columns: {allowed})"))
        return None
    return {n: i for i, n in enumerate(names) if n}


def _row(line: int, cells: list[str], header: dict[str, int], errors: list[RowError]) -> SupplierRow | None:
    def get(name: str) -> str:
        i = header.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    reasons: list[str] = []
    supplier_id, name, email = get("supplier_id"), get("name"), get("email").lower()
    owner_email, language = get("owner_email").lower(), (get("language") or "en").lower()
    if not supplier_id:
        reasons.append("supplier_id is empty")
    elif not _SUPPLIER_ID.match(supplier_id):
        reasons.append(f"supplier_id {supplier_id!r} may hold only letters, digits, . _ - (max 64)")
    if not name:
        reasons.append("name is empty")
    elif len(name) > 200:
        reasons.append("name is longer than 200 characters")
    if not email:
        reasons.append("email is empty")
    elif not is_email_address(email):
        reasons.append(f"email {email!r} is not an email address")
    if owner_email and not is_email_address(owner_email):
        reasons.append(f"owner_email {owner_email!r} is not an email address")
    language = i18n.supported(language) or language.split("-")[0].split("_")[0]
    if language not in LANGUAGES:
        reasons.append(f"language {get('language')!r} is not one of {', '.join(sorted(LANGUAGES))}")
    minerals = tuple(m.strip().lower() for m in _SPLIT.split(get("minerals")) if m.strip())
    bad = [m for m in minerals if not _MINERAL.match(m)]
    if bad:
        reasons.append(f"minerals {', '.join(map(repr, bad))} are not mineral names")
    width = max(header.values()) + 1
    if len(cells) > width and any(cells[width:]):
        reasons.append("has more cells than the header has columns")
    if reasons:
        errors.append(RowError(line, "; ".join(reasons)))
        return None
    return SupplierRow(
        line=line,
        supplier_id=supplier_id,
        name=name,
        email=email,
        contact_name=get("contact_name"),
        language=language,
        owner_email=owner_email,
        minerals=tuple(dict.fromkeys(minerals)),
    )


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
                values = row.values()
                supplier = existing.get(row.supplier_id)
                subject = f"supplier:{row.supplier_id}"
                if supplier is None:
                    session.add(Supplier(supplier_id=row.supplier_id, **values))
                    session.add(
                        AuditEvent(actor=actor, action="supplier.created", subject=subject, after=values)
                    )
                    created += 1
                elif apply_changes(session, supplier, values, actor):
                    updated += 1
    return created, updated


@dataclass
class ListPreview:
    """What importing a valid list would do to the directory: new suppliers, changed ones (field -> (now,
    in the list)), and how many stay as they are."""

    new: list[SupplierRow] = field(default_factory=list)
    changed: list[tuple[SupplierRow, dict[str, tuple[Any, Any]]]] = field(default_factory=list)
    unchanged: int = 0


def preview_import(session: Session, rows: Sequence[SupplierRow]) -> ListPreview:
    """Compare a valid list with the directory, changing nothing."""
    preview = ListPreview()
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        query = select(Supplier).where(Supplier.supplier_id.in_([r.supplier_id for r in chunk]))
        existing = {s.supplier_id: s for s in session.scalars(query)}
        for row in chunk:
            supplier = existing.get(row.supplier_id)
            if supplier is None:
                preview.new.append(row)
                continue
            diff = {
                k: (getattr(supplier, k), v) for k, v in row.values().items() if getattr(supplier, k) != v
            }
            if diff:
                preview.changed.append((row, diff))
            else:
                preview.unchanged += 1
    return preview
