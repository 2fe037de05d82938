"""Stdlib checks of an untrusted upload before any parser sees it: size, type, zip bombs, XML DTDs."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mrt.model import Unreadable

MIB = 1024 * 1024
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def column_index(letters: str) -> int:
    """0-based column index of column letters ("A" -> 0, "AB" -> 27)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass(frozen=True)
class Limits:
    """How big an upload and its parts may be (a real filled CMRT is ~2 MB, 40 MB unpacked)."""

    max_file: int = 20 * MIB
    max_member: int = 100 * MIB
    max_total: int = 200 * MIB
    max_ratio: int = 200  # uncompressed / compressed, checked on members over 1 MiB
    max_entries: int = 2000
    max_sheet_cells: int = 5_000_000  # calamine allocates ~32 bytes per cell of a sheet's range


@dataclass(frozen=True)
class GateReport:
    """What the gate learnt: the container kind and whether the file carries macros."""

    kind: str  # "xlsx" (OOXML zip) or "ole" (legacy .xls or an encrypted OOXML package)
    macro_enabled: bool = False


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Only far-out references are collected (3-letter columns, 5+ digit rows): cheap on normal sheets.
# Attributes in any order, element names with or without a namespace prefix (<x:c ...>).
_FAR_COLUMN = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{3})[0-9]')
_FAR_ROW = re.compile(rb'<(?:\w+:)?(?:c\b[^>]*?\sr="[A-Z]{1,3}|row\b[^>]*?\sr=")([0-9]{5,7})"')
_ANY_FAR = re.compile(rb'\sr="(?:[A-Z]{3}[0-9]|[A-Z]{0,2}[0-9]{5})')  # one cheap search per chunk
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref="[A-Z]{1,3}[0-9]{1,7}:([A-Z]{1,3})([0-9]{1,7})"')
_NEAR_ROWS, _NEAR_COLUMNS = 9999, 702  # the most a sheet without far-out references can span
_OVERLAP = 64  # bytes kept between chunks so a tag split across two chunks is still seen


class _Extent:
    """The furthest row and column a sheet declares beyond the near area (None: within it)."""

    def __init__(self) -> None:
        self.row: int | None = None
        self.col: int | None = None

    def scan(self, window: bytes) -> None:
        far = _ANY_FAR.search(window) is not None
        rows = [int(r) for r in set(_FAR_ROW.findall(window))] if far else []
        cols = [column_index(c.decode()) + 1 for c in set(_FAR_COLUMN.findall(window))] if far else []
        for col, row in _DIMENSION.findall(window):
            rows.append(int(row))
            cols.append(column_index(col.decode()) + 1)
        rows = [r for r in rows if r > _NEAR_ROWS]
        cols = [c for c in cols if c > _NEAR_COLUMNS]
        if rows:
            self.row = max(self.row or 0, *rows)
        if cols:
            self.col = max(self.col or 0, *cols)

    def cells(self) -> int:
        """Upper bound of the cells in the sheet's range; 0 when nothing lies beyond the near area."""
        if self.row is None and self.col is None:
            return 0
        return max(self.row or 0, _NEAR_ROWS) * max(self.col or 0, _NEAR_COLUMNS)


def _check_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    # Every part is scanned, whatever its name: a worksheet may be stored under any extension.
    is_sheet = info.filename.startswith("xl/worksheets/")
    extent = _Extent()
    carry = b""
    with zf.open(info) as stream:  # reading to the end verifies the CRC
        while chunk := stream.read(MIB):
            window = carry + chunk
            if b"<!" in window and _DTD.search(window):
                raise Unreadable(
                    "xml-entities",
                    "The file contains XML entity declarations, which Excel never writes; it was refused.",
                )
            if is_sheet:
                extent.scan(window)
            carry = window[-_OVERLAP:]
    if is_sheet and extent.cells() > limits.max_sheet_cells:
        raise Unreadable(
            "too-large",
            f"A sheet ({info.filename}) spans {extent.cells():,} cells; templates use far fewer. "
            "Please clear the cells outside the template's tables and save again.",
        )


def check_package(source: Path | IO[bytes], limits: Limits | None = None) -> GateReport:
    """Check an OOXML zip package (a file, or bytes decrypted in memory) before any parser reads it."""
    limits = limits or Limits()
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if len(infos) > limits.max_entries:
                raise Unreadable(
                    "zip-bomb", f"The file holds {len(infos)} parts; a workbook holds far fewer."
                )
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise Unreadable(
                    "not-a-spreadsheet", "The file is a zip archive but not an Excel workbook (.xlsx)."
                )
            total = 0
            for info in infos:
                if info.flag_bits & 0x1:
                    raise Unreadable("encrypted", "Parts of the file are encrypted.")
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if (
                    info.file_size > limits.max_member
                    or total > limits.max_total
                    or (info.file_size > MIB and ratio > limits.max_ratio)
                ):
                    raise Unreadable(
                        "zip-bomb",
                        "The file unpacks to far more data than a workbook holds "
                        f"({info.filename}: {info.file_size:,} bytes); it was refused.",
                    )
            for info in infos:
                _check_member(zf, info, limits)
            macro = any(n.lower().endswith("vbaproject.bin") for n in names)
            return GateReport("xlsx", macro_enabled=macro)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise Unreadable(
            "truncated", f"The file is damaged or incomplete ({exc}). Please save it again and re-upload."
        ) from exc


def inspect(path: Path | str, limits: Limits | None = None) -> GateReport:
    """Check an upload without parsing it; Unreadable with a stable code when it must not be parsed."""
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise Unreadable("not-a-spreadsheet", f"The file could not be opened: {exc.strerror}.") from exc
    if size > limits.max_file:
        raise Unreadable(
            "too-large",
            f"The file is {size / MIB:.1f} MB; templates are under {limits.max_file // MIB} MB.",
        )
    if head.startswith(OLE2_MAGIC):
        return GateReport("ole")
    if head.startswith(b"PK\x03\x04"):
        return check_package(path, limits)
    raise Unreadable(
        "not-a-spreadsheet",
        "The file is not an Excel workbook (.xlsx or .xls). Please upload the template as Excel.",
    )
