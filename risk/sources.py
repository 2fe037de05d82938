"""Read registry sources (a template's Smelter Look-up, RMI facility lists, the CFSI v2->v3 id map)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mrt.model import Unreadable
from mrt.workbook import Book, open_book, parse_date, text
from risk.config import RiskConfig
from risk.normalize import fold, metal_name
from risk.registry import CID, V2_ID, facilities_from_lookup

HEADER_SCAN = 30  # rows searched for the header
MAX_ROWS = 200_000  # RMI's lists hold a few thousand facilities
# Column role -> header spellings (folded). The first role found in a header cell wins.
HEADERS = {
    "smelter_id": (
        "smelter id",
        "facility id",
        "sor id",
        "cid",
        "new smelter id",
        "v3 smelter id",
        "version 3",
        "smelter identification number",
        "smelter identification",
        "rmi id",
    ),
    "legacy_id": ("v2 smelter id", "version 2", "old smelter id", "v2 id"),
    "status": (
        "assessment status",
        "rmap status",
        "status",
        "audit status",
        "conformance status",
        "due diligence assessment program status",
        "assessment program status",
    ),
    "metal": ("metal", "mineral"),
    "name": (
        "standard smelter name",
        "standard facility name",
        "standard smelter names",
        "smelter name",
        "facility name",
        "name",
    ),
    "country": (
        "country",
        "smelter country",
        "country location",
        "location",
        "smelter facility location country",
    ),
    "state": ("state province", "state province region", "smelter facility location state province"),
    "city": ("city", "smelter city", "smelter facility location city"),
    "last_audit": ("last audit date", "last on site assessment date", "last assessment date", "last audit"),
    "cycle": ("audit cycle", "due diligence assessment cycle", "assessment cycle"),
}
# The CFSI id map names only its id columns; its unnamed leading columns are metal, name, country.
UNNAMED_LEADING = ("metal", "name", "country")
_ID_NOISE = re.compile(r"[^0-9A-Za-z]")
_CYCLE = re.compile(r"^(\d+(?:\.\d+)?)\s*(y|yr|yrs|year|years|m|mo|month|months)?$")


class SourceError(Exception):
    """The file as a whole cannot be imported; the message says why in plain words."""


@dataclass
class SourceRow:
    """One facility as a source states it."""

    line: int
    smelter_id: str
    metal: str | None = None
    name: str | None = None
    country: str | None = None
    city: str | None = None
    state: str | None = None
    street: str | None = None
    aliases: tuple[str, ...] = ()
    legacy_id: str | None = None
    status: str | None = None  # status code
    raw_status: str | None = None
    last_audit: dt.date | None = None
    cycle_days: int | None = None


@dataclass
class Rejected:
    """A row that was not imported: its line in the file and why."""

    line: int
    reason: str


@dataclass
class Batch:
    """What one file holds: its kind, facility rows and rejected rows."""

    file_name: str
    sha256: str
    kind: str  # lookup | status-list | facility-list | id-map
    rows: list[SourceRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    rows_read: int = 0


def read_source(path: Path, config: RiskConfig | None = None) -> Batch:
    """Parse a registry source file; whole-file problems raise SourceError, bad rows are Rejected."""
    config = config or RiskConfig()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm", ".xls"):
        raise SourceError(f"{path.name}: use a .csv, .xlsx or .xls file")
    if suffix in (".csv", ".txt"):
        return _table(path.name, digest, _csv_records(data), config)
    try:
        book = open_book(path)
    except Unreadable as exc:
        raise SourceError(f"{path.name}: {exc.message.rstrip('.')}") from None
    if "Smelter Look-up" in book.sheet_names or "Standard Smelter Names" in book.sheet_names:
        return _lookup(path.name, digest, book)
    problem = SourceError(f"{path.name}: the workbook has no sheets")
    for sheet in book.sheet_names:  # the first sheet with a facility id header is the list
        try:
            return _table(path.name, digest, _sheet_records(book, sheet), config)
        except SourceError as exc:
            problem = exc
    raise problem


def _lookup(name: str, digest: str, book: Book) -> Batch:
    from mrt.detect import identify
    from mrt.layouts.cmrt6 import LAYOUT
    from mrt.reader import read_lookup

    try:
        layout = identify(book).layout
    except Unreadable:
        layout = LAYOUT  # a version the reader does not know yet: the look-up columns are the same
    try:
        entries = read_lookup(book, layout)
    except Unreadable as exc:
        raise SourceError(f"{name}: {exc.message}") from None
    facilities = facilities_from_lookup(entries)
    if not facilities:
        raise SourceError(f"{name}: its smelter reference sheet lists no facility with an RMI id (CID)")
    rows = [
        SourceRow(0, f.smelter_id, f.metal, f.name, f.country, f.city, f.state, f.street, f.aliases)
        for f in facilities.values()
    ]
    return Batch(name, digest, "lookup", rows, rows_read=len(entries))


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):  # the 2014 CFSI lists are Latin-1
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        for cells in reader:
            yield reader.line_num, [c.strip() for c in cells]
    except csv.Error as exc:
        raise SourceError(f"line {reader.line_num}: {exc}") from None


def _sheet_records(book: Book, name: str) -> Iterator[tuple[int, list[str]]]:
    try:
        sheet = book.sheet(name)
    except Unreadable as exc:
        raise SourceError(f"{name}: {exc.message.rstrip('.')}") from None
    if sheet is None:
        return
    for offset, values in enumerate(sheet.rows):
        yield sheet.row0 + offset + 1, [_cell(v) for v in values]


def _cell(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return text(value) or ""


def _roles(cells: list[str]) -> dict[str, int]:
    """Column index of each role this header row names."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(cells):
        folded = fold(cell)
        for role, names in HEADERS.items():
            if folded in names and role not in roles:
                roles[role] = i
                break
    if "smelter_id" in roles:
        for i, role in enumerate(UNNAMED_LEADING):
            if i < len(cells) and not cells[i] and role not in roles:
                roles[role] = i
    return roles


def _table(name: str, digest: str, records: Iterator[tuple[int, list[str]]], config: RiskConfig) -> Batch:
    roles: dict[str, int] | None = None
    batch = Batch(name, digest, "facility-list")
    seen: dict[str, int] = {}
    for line, cells in records:
        if not any(cells):
            continue
        if roles is None:
            found = _roles(cells)
            if "smelter_id" in found:
                roles = found
                batch.kind = (
                    "status-list"
                    if "status" in roles
                    else "id-map"
                    if "legacy_id" in roles
                    else "facility-list"
                )
            elif line > HEADER_SCAN:
                break
            continue
        batch.rows_read += 1
        if batch.rows_read > MAX_ROWS:
            raise SourceError(f"{name}: more than {MAX_ROWS} rows; this is not an RMI facility list")
        row, reasons = _row(line, cells, roles, config)
        if row is not None and row.smelter_id in seen:
            reasons.append(f"{row.smelter_id} is already on line {seen[row.smelter_id]}")
        if reasons or row is None:
            batch.rejected.append(Rejected(line, "; ".join(reasons)))
            continue
        seen[row.smelter_id] = line
        batch.rows.append(row)
    if roles is None:
        raise SourceError(
            f"{name}: no header row with a facility id column (Smelter ID, Facility ID, SOR ID, CID or "
            f"New Smelter ID) in its first {HEADER_SCAN} rows"
        )
    return batch


def _row(
    line: int, cells: list[str], roles: dict[str, int], config: RiskConfig
) -> tuple[SourceRow | None, list[str]]:
    def get(role: str) -> str | None:
        i = roles.get(role)
        return (cells[i].strip() or None) if i is not None and i < len(cells) else None

    reasons: list[str] = []
    cid = _ID_NOISE.sub("", get("smelter_id") or "").upper()  # stray non-breaking spaces in real lists
    if not cid:
        return None, ["no facility id"]
    if not CID.match(cid):
        reasons.append(f"{cid!r} is not an RMI facility id (CID and six digits)")
    row = SourceRow(
        line, cid, metal_name(get("metal")), get("name"), get("country"), get("city"), get("state")
    )
    legacy = _ID_NOISE.sub("", get("legacy_id") or "").upper()
    if legacy and not V2_ID.match(legacy):
        reasons.append(f"{legacy!r} is not a CFSI version-2 smelter id")
    row.legacy_id = legacy or None
    if "status" in roles:
        row.raw_status = get("status")
        row.status = config.status_code(row.raw_status)
        if row.raw_status is None:
            reasons.append("no status")
        elif row.status is None:
            reasons.append(
                f"status {row.raw_status!r} is not in the status vocabulary (add it to the risk settings)"
            )
    audit = get("last_audit")
    if audit:
        row.last_audit = parse_date(audit)
        if row.last_audit is None:
            reasons.append(f"last audit date {audit!r} is not a date")
    cycle = get("cycle")
    if cycle:
        row.cycle_days = cycle_days(cycle)
        if row.cycle_days is None:
            reasons.append(f"audit cycle {cycle!r} is not a number of years or months")
    return row, reasons


def cycle_days(text: str) -> int | None:
    """Days in an audit cycle written as "1 year", "2 years", "12 months", "3" (years) or "annual"."""
    folded = text.strip().lower()
    if folded in ("annual", "annually", "yearly"):
        return 365
    m = _CYCLE.match(folded)
    if not m:
        return None
    number, unit = float(m.group(1)), (m.group(2) or "y")
    return round(number * (30.4 if unit.startswith("m") else 365))
