"""Read and validate a supplier list (CSV or XLSX): every bad row reported with its line and reason."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED = ("supplier_id", "name", "email")
OPTIONAL = ("contact_name", "language", "owner_email", "minerals")
LANGUAGES = frozenset({"en", "zh", "ja", "ko", "fr", "pt", "de", "es", "it", "tr"})
MAX_ROWS = 100_000
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
_SUPPLIER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_MINERAL = re.compile(r"^[a-z][a-z ()/-]{1,39}$")
_SPLIT = re.compile(r"[;,|]")


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
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm"}:
            records = list(_xlsx_records(path))
        elif suffix in {".csv", ".txt", ""}:
            records = list(_csv_records(path.read_bytes()))
        else:
            return SupplierFile(errors=[RowError(0, f"{path.name}: use a .csv or .xlsx file")])
    except OSError as exc:
        return SupplierFile(errors=[RowError(0, f"{path}: {exc.strerror or exc}")])
    except _FileProblem as exc:
        return SupplierFile(errors=[RowError(0, f"{path.name}: {exc}")])
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


def _xlsx_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
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
    elif not _EMAIL.match(email):
        reasons.append(f"email {email!r} is not an email address")
    if owner_email and not _EMAIL.match(owner_email):
        reasons.append(f"owner_email {owner_email!r} is not an email address")
    language = language.split("-")[0].split("_")[0]
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
