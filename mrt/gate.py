"""Checks of an untrusted upload: size and type in the caller, the package in the parse child.

The child checks each part just before the parser reads it: the zip's directory once (bombs,
encryption), the workbook-level parts at open, and a sheet's part when that sheet is first loaded.
Sheets the reader never loads are never parsed, so they are never scanned either.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from defusedxml.ElementTree import ParseError, fromstring

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
    """How big an upload and its parts may be (a real filled CMRT is ~1.6 MB, ~10 MB unpacked)."""

    max_file: int = 20 * MIB
    max_member: int = 100 * MIB
    max_total: int = 200 * MIB
    max_ratio: int = 200  # uncompressed / compressed, checked on members over 1 MiB
    max_entries: int = 2000
    # Cells the loaded sheets' ranges may span in all (calamine holds a range at ~32 bytes a cell,
    # Python ~9 more): a real filled CMRT spans ~110,000; one stray cell at ZZ9999 beside A1, 7.0M.
    max_cells: int = 8_000_000


_TOO_LARGE = "Please clear the cells outside the template's tables and save again."
_HEAD = 4096  # bytes of a part read to find its prolog (read on when it is longer)
# Every cell's and row's own reference, for the exact scan.
_REF = re.compile(rb'(?<![\w:.-])r="([A-Z]*)([0-9]+)"')
_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_DECLARED = re.compile(rb'^\s*<\?xml[^>]*?encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\']')
# Parts the parser never opens (unless the workbook's relationships point it there).
_NEVER_READ = re.compile(
    r"^xl/(calcChain\.xml|printerSettings/|media/|drawings/|embeddings/|worksheets/_rels/|comments)"
    r"|\.(bin|png|jpe?g|gif|emf|wmf|tiff?)$",
    re.IGNORECASE,
)
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _encoding(head: bytes) -> str:
    """The part's encoding, as an XML parser detects it: byte order mark, zero bytes, declaration."""
    for bom, name in (
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xef\xbb\xbf", "utf-8"),
    ):
        if head.startswith(bom):
            return name
    zeros = tuple(i for i, b in enumerate(head[:4]) if b == 0)
    by_zeros = {(1, 2, 3): "utf-32-le", (0, 1, 2): "utf-32-be", (1, 3): "utf-16-le", (0, 2): "utf-16-be"}
    if zeros:
        return by_zeros.get(zeros, "utf-16-le" if zeros[0] % 2 else "utf-16-be")
    declared = _DECLARED.match(head)
    return declared.group(1).decode("ascii") if declared else "utf-8"


def _has_dtd(text: bytes) -> bool:
    """Whether the (ASCII-compatible) text declares a DOCTYPE or an entity anywhere."""
    at = text.find(b"<!")
    while at >= 0:
        word = text[at + 2 : at + 9].upper()
        if word.startswith(b"DOCTYPE") or word.startswith(b"ENTITY"):
            return True
        at = text.find(b"<!", at + 2)
    return False


def _prolog(text: bytes) -> bytes | None:
    """The text before the root element (declaration, comments, DOCTYPE); None if it runs past `text`."""
    at = 0
    while (at := text.find(b"<", at)) >= 0 and at + 1 < len(text):
        if text.startswith(b"<?", at):
            end = text.find(b"?>", at)
        elif text.startswith(b"<!--", at):
            end = text.find(b"-->", at)
        elif text.startswith(b"<!", at):
            return text[: at + 9]  # a DOCTYPE, or markup no parser accepts here: let _has_dtd judge
        else:
            return text[:at]
        if end < 0:
            return None
        at = end + 2
    return None


def xml_text(data: bytes) -> bytes:
    """A part's bytes as UTF-8-compatible text; decoded first when written in UTF-16, UTF-32 or other."""
    name = _encoding(data[:256])
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise Unreadable(
            "not-a-spreadsheet", f"A part of the file uses a text encoding ({name}) that Excel never writes."
        ) from None
    if codec in ("utf-8", "ascii", "latin-1", "iso8859-1", "cp1252"):
        return data
    text = data.decode(codec, errors="replace")
    return _DECLARATION.sub("", text, count=1).encode("utf-8")  # its encoding is UTF-8 now


def _refuse_dtd(name: str) -> Unreadable:
    return Unreadable(
        "xml-entities",
        f"The file contains XML entity declarations ({name}), which Excel never writes; it was refused.",
    )


def sheet_cells(text: bytes) -> int:
    """Cells a sheet's range spans by its cells' and rows' own references (the slow, exact scan)."""
    refs = _REF.findall(text)
    rows = [int(r) for r in {r for _, r in refs}]
    cols = [column_index(c.decode()) + 1 for c in {c for c, _ in refs if c}] or [1]
    return (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1) if rows else 0


class CellBudget:
    """The cells a workbook's loaded sheets may span together (any container, .xls included)."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.cells = 0

    def admit(self, name: str, cells: int) -> None:
        """Count a loaded sheet's range; too-large once all loaded sheets together exceed the budget."""
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise _too_large(name, cells, self.cells)


class Package:
    """An OOXML zip in memory, checked before the parser opens it: the directory, and the prolog of
    every part the parser may read (entity declarations can stand nowhere else). The cells a sheet
    really holds are counted as the parser loads it (`budget`)."""

    def __init__(self, data: bytes, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.budget = CellBudget(self.limits)
        self._checked: set[str] = set()
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._check_directory()
            self._referenced: set[str] = set()  # every part the workbook's relationships name
            self._sheets = self._sheet_parts()
            for name in self._zip.namelist():
                if name in self._referenced or not _NEVER_READ.search(name):
                    self._check_part(name)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise _truncated(exc) from exc
        self.macro_enabled = any(n.lower().endswith("vbaproject.bin") for n in self._zip.namelist())

    def _check_directory(self) -> None:
        limits, infos = self.limits, self._zip.infolist()
        names = {i.filename for i in infos}
        if len(infos) > limits.max_entries:
            raise Unreadable("zip-bomb", f"The file holds {len(infos)} parts; a workbook holds far fewer.")
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

    def _read(self, name: str) -> bytes:
        """A part as UTF-8-compatible text, refused when it declares a DTD (checked once per part)."""
        text = xml_text(self._zip.read(name))  # reading to the end verifies the CRC
        if _has_dtd(text):
            raise _refuse_dtd(name)
        self._checked.add(name)
        return text

    def _check_part(self, name: str) -> None:
        """Check a part the parser reads at open: its prolog suffices, the only place a DTD may stand."""
        if name in self._checked:
            return
        with self._zip.open(name) as stream:
            head = xml_text(stream.read(_HEAD))
        prolog = _prolog(head)
        if prolog is None:  # no root element within the head: read the whole part
            self._read(name)
        elif _has_dtd(prolog):
            raise _refuse_dtd(name)
        self._checked.add(name)

    def _sheet_parts(self) -> dict[str, list[str]]:
        """Sheet name -> the part(s) the parser may read for it, from the workbook and its relationships.

        Empty when they cannot be parsed plainly."""
        members = set(self._zip.namelist())
        rels_name = "xl/_rels/workbook.xml.rels"
        try:
            workbook = fromstring(self._read("xl/workbook.xml"))
            rels = fromstring(self._read(rels_name)) if rels_name in members else None
        except ParseError:
            return {}
        targets: dict[str | None, list[str]] = {}
        for rel in rels if rels is not None else ():
            if rel.tag == f"{_RELS_NS}Relationship":
                target = rel.get("Target") or ""
                candidates = {target.lstrip("/"), posixpath.normpath(posixpath.join("xl", target))}
                targets[rel.get("Id")] = sorted(c for c in candidates if c in members)
                self._referenced.update(targets[rel.get("Id")])
        return {
            str(sheet.get("name")): targets.get(sheet.get(_R_ID), [])
            for sheet in workbook.iter()
            if sheet.tag.rsplit("}", 1)[-1] == "sheet" and sheet.get("name") is not None
        }

    def measure(self) -> None:
        """The exact scan of every sheet part, whole: refused when their ranges span more than the budget.

        Too slow for every read; it says why when the parser died on a file (a range too large to hold)."""
        sheets = self._sheets or {"": [n for n in self._zip.namelist() if n in self._checked]}
        total = 0
        try:
            for name, parts in sheets.items():
                for part in parts:
                    cells = sheet_cells(self._read(part))
                    total += cells
                    if total > self.limits.max_cells:
                        raise _too_large(name, cells, total)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise _truncated(exc) from exc

    def sheet_part(self, name: str, min_size: int = 0) -> tuple[str, bytes] | None:
        """(part name, XML) of a sheet stored as one part of at least `min_size` bytes in an
        ASCII-compatible encoding; None otherwise (or when the part is damaged: the parser says so)."""
        parts = self._sheets.get(name) or []
        if len(parts) != 1 or self._zip.getinfo(parts[0]).file_size < min_size:
            return None
        try:
            raw = self._zip.read(parts[0])
        except (zipfile.BadZipFile, zlib.error, EOFError):
            return None  # the parser reports it as it always did
        self._check_part(parts[0])  # done at open for every part the workbook names: its prolog
        return (parts[0], raw) if xml_text(raw) is raw else None

    def infolist(self) -> list[zipfile.ZipInfo]:
        """The package's directory, in stored order."""
        return self._zip.infolist()

    def fingerprint(self, name: str) -> tuple[int, int] | None:
        """(CRC-32, size) of a sheet's part: equal for byte-identical sheets (same template release)."""
        parts = self._sheets.get(name) or []
        if len(parts) != 1:
            return None
        info = self._zip.getinfo(parts[0])
        return info.CRC, info.file_size


def _too_large(sheet: str, cells: int, total: int) -> Unreadable:
    together = f", {total:,} with the sheets before it" if total > cells else ""
    return Unreadable(
        "too-large",
        f"The sheet '{sheet}' spans {cells:,} cells{together}; templates use far fewer. {_TOO_LARGE}",
    )


def _truncated(exc: Exception) -> Unreadable:
    return Unreadable(
        "truncated", f"The file is damaged or incomplete ({exc}). Please save it again and re-upload."
    )


def check_file(path: Path | str, limits: Limits | None = None) -> str:
    """The cheap checks before a child reads the file: it opens, is not too large, and is a workbook
    container; "xlsx" (zip) or "ole" (legacy .xls or an encrypted package)."""
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
            "too-large", f"The file is {size / MIB:.1f} MB; templates are under {limits.max_file // MIB} MB."
        )
    if head.startswith(OLE2_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    raise Unreadable(
        "not-a-spreadsheet",
        "The file is not an Excel workbook (.xlsx or .xls). Please upload the template as Excel.",
    )


def inspect(path: Path | str, limits: Limits | None = None) -> None:
    """The whole gate in this process, every sheet scanned exactly; Unreadable with a stable code."""
    from mrt.workbook import decrypt  # the workbook module builds on this one

    check_file(path, limits)
    data = Path(path).read_bytes()
    if data.startswith(OLE2_MAGIC):
        data = decrypt(data)
    if data.startswith(b"PK"):
        Package(data, limits).measure()
