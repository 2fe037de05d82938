"""Cell access over python-calamine: sheets loaded on demand, addressed like Excel ("D8")."""

from __future__ import annotations

import datetime as dt
import io
import operator
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import python_calamine

from mrt.gate import OLE2_MAGIC, CellBudget, Limits, Package, column_index
from mrt.lean import LeanSpec, lean_package
from mrt.model import Unreadable

# Excel's built-in "read-only" protection of legacy files; public, not a secret.
DEFAULT_PASSWORD = "VelvetSweatshop"  # noqa: S105
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


def split_cell(cell: str) -> tuple[int, int]:
    """0-based (row, column) of an A1-style reference."""
    m = _CELL.match(cell)
    if not m:
        raise ValueError(f"not a cell reference: {cell!r}")
    return int(m.group(2)) - 1, column_index(m.group(1))


def text(value: object) -> str | None:
    """A cell value as trimmed text, None when blank; whole floats lose their ".0"."""
    if value is None:
        return None
    if isinstance(value, bool):
        out = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        out = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        out = value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    elif isinstance(value, dt.date | dt.time):
        out = value.isoformat()
    else:
        out = str(value)
    out = out.strip()
    return out or None


def label(value: object) -> str | None:
    """A cell's text as a template label is matched: NFKC-normalised (full-width brackets, letters and
    spaces become their plain forms), whitespace runs collapsed, trimmed; None when blank."""
    out = text(value)
    if out is None:
        return None
    return " ".join(unicodedata.normalize("NFKC", out).split()) or None


class Sheet:
    """One sheet's values; rows and columns outside the stored range read as None."""

    def __init__(self, name: str, rows: Sequence[Sequence[Any]], start: tuple[int, int]) -> None:
        self.name = name
        self.rows = rows
        self.row0, self.col0 = start
        self._pickers: dict[tuple[tuple[int, ...], int], Callable[[Sequence[Any]], Sequence[Any]]] = {}

    @property
    def last_row(self) -> int:
        """1-based number of the last stored row (0 when empty)."""
        return self.row0 + len(self.rows)

    def at(self, row: int, col: int) -> Any:
        """The raw value at 0-based (row, col), or None."""
        r, c = row - self.row0, col - self.col0
        if r < 0 or c < 0 or r >= len(self.rows):
            return None
        line = self.rows[r]
        value = line[c] if c < len(line) else None
        return None if value == "" else value

    def row_values(self, row: int, cols: list[int]) -> list[Any]:
        """Raw values of 0-based `row` at 0-based `cols` ("" and absent cells read as None)."""
        r = row - self.row0
        if r < 0 or r >= len(self.rows):
            return [None] * len(cols)
        line = self.rows[r]
        key = (tuple(cols), len(line))
        pick = self._pickers.get(key) or self._pickers.setdefault(key, self._picker(*key))
        return [None if v == "" else v for v in pick(line)]

    def _picker(self, cols: tuple[int, ...], width: int) -> Callable[[Sequence[Any]], Sequence[Any]]:
        """Take `cols` from a stored row in one call (the list sheets ask for thousands of rows)."""
        shifted = [c - self.col0 for c in cols]
        if len(shifted) > 1 and all(0 <= c < width for c in shifted):
            return operator.itemgetter(*shifted)
        return lambda line: [line[c] if 0 <= c < width else None for c in shifted]

    def raw(self, cell: str) -> Any:
        """The raw value of an A1 cell, or None."""
        return self.at(*split_cell(cell))

    def value(self, cell: str) -> str | None:
        """The trimmed text of an A1 cell, or None."""
        return text(self.raw(cell))


# The template's own reference sheets, which suppliers never fill: byte-identical in every file of
# one release (translations in L, the look-up, the revision log, country and product codes).
REFERENCE_SHEETS = frozenset({"L", "Smelter Look-up", "Standard Smelter Names", "Revision", "C", "SorP"})
# Reference sheets parsed in this process, by name and part (CRC-32, size); their rows are tuples, so
# no reader can change what the next file reads.
_PARSED: dict[tuple[str, int, int], Sheet] = {}
_MAX_PARSED = 16


class Book:
    """A workbook read with calamine; sheets are parsed once, when first asked for, within the budget."""

    def __init__(
        self,
        workbook: python_calamine.CalamineWorkbook,
        macro_enabled: bool = False,
        package: Package | None = None,
        budget: CellBudget | None = None,
    ) -> None:
        self._wb = workbook
        self._package = package
        self._budget = package.budget if package else budget or CellBudget()
        self._sheets: dict[str, Sheet | None] = {}
        self.sheet_names: list[str] = list(workbook.sheet_names)
        self.macro_enabled = macro_enabled

    def sheet(self, name: str) -> Sheet | None:
        """The named sheet, or None when the workbook has no such sheet."""
        if name not in self._sheets:
            self._sheets[name] = self._cached(name) if name in self.sheet_names else None
        return self._sheets[name]

    def _cached(self, name: str) -> Sheet:
        fingerprint = self.fingerprint(name) if name in REFERENCE_SHEETS else None
        if fingerprint is None:
            return self._load(name)
        key = (name, *fingerprint)
        if key not in _PARSED:
            sheet = self._load(name)
            if len(_PARSED) >= _MAX_PARSED:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[key] = Sheet(name, tuple(tuple(line) for line in sheet.rows), (sheet.row0, sheet.col0))
        else:  # counted as if parsed: a file's verdict never depends on the files before it
            rows = _PARSED[key].rows
            self._budget.admit(name, len(rows) * max(map(len, rows), default=0))
        return _PARSED[key]

    def _load(self, name: str) -> Sheet:
        try:
            data = self._wb.get_sheet_by_name(name)
            # The range the parser holds, counted before Python holds it too.
            self._budget.admit(name, data.height * data.width)
            rows = data.to_python(skip_empty_area=True)
        except Unreadable:
            raise
        except Exception as exc:  # calamine's XML, zip and encoding errors
            raise Unreadable(
                "not-a-spreadsheet", f"The sheet '{name}' could not be read ({type(exc).__name__})."
            ) from exc
        row0, col0 = data.start or (0, 0)
        return Sheet(name, rows, (row0, col0))

    @property
    def loaded(self) -> list[Sheet]:
        """The sheets parsed so far, in the order they were first asked for."""
        return [sheet for sheet in self._sheets.values() if sheet is not None]

    def fingerprint(self, name: str) -> tuple[int, int] | None:
        """(CRC-32, size) of a sheet's stored part, equal for byte-identical sheets; None when unknown."""
        return self._package.fingerprint(name) if self._package else None


def decrypt(data: bytes) -> bytes:
    """Decrypt an OLE2 file protected with Excel's default password; other passwords are Unreadable."""
    import msoffcrypto
    from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        if not office.is_encrypted():
            return data
        office.load_key(password=DEFAULT_PASSWORD)
        out = io.BytesIO()
        office.decrypt(out)
    except (InvalidKeyError, DecryptionError) as exc:
        raise Unreadable(
            "encrypted", "The file is protected with a password. Please send it without a password."
        ) from exc
    except (FileFormatError, ValueError, OSError, AssertionError) as exc:
        raise Unreadable("not-a-spreadsheet", f"The file could not be opened as Excel: {exc}") from exc
    return out.getvalue()


def open_book(
    path: Path | str,
    macro_enabled: bool = False,
    limits: Limits | None = None,
    lean: Mapping[str, LeanSpec] | None = None,
) -> Book:
    """Open a workbook from disk (decrypting default-password files in memory); an .xlsx package is
    gated as it is read (`mrt.gate.Package`), and the list sheets in `lean` reach the parser without
    the rows that read as empty in the columns the spec names (`mrt.lean`)."""
    data = Path(path).read_bytes()
    if data.startswith(OLE2_MAGIC):
        data = decrypt(data)
    package = Package(data, limits) if data.startswith(b"PK") else None
    if package and lean:
        data = lean_package(data, package, lean)
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every broken container
        name = type(exc).__name__
        if "Password" in name:
            raise Unreadable(
                "encrypted", "The file is protected with a password. Please send it without a password."
            ) from exc
        raise Unreadable("not-a-spreadsheet", f"The file could not be opened as Excel ({name}).") from exc
    return Book(wb, macro_enabled or bool(package and package.macro_enabled), package, CellBudget(limits))


_DATE_FORMATS = (
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%Y%m%d",
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(raw: object) -> dt.date | None:
    """A date from a cell: a date value, an Excel serial number, or text such as 02-May-2024."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:  # Excel's valid serial range
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        return None
    value = text(raw)
    if not value:
        return None
    value = re.sub(r"\s+", " ", value.split("T")[0].split(" 00:00")[0])
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
