"""Lean list sheets: the rows that hold nothing the reader reads are left out before the parser runs.

A filled template's Smelter List carries formulas on each of its 2,420 rows, so its part is ~5 MB
of XML around a few dozen rows of answers, and parsing it was most of a read. A row whose cells in
the columns any layout reads hold no value (formulas without a cached value, empty strings, error
values, which the parser shows as empty) reads as an empty row there, so it is left out: every cell
the reader asks for reads exactly as before. Header rows stay whole. The parser then opens a copy of
the package where those parts are stored lean and every other part is copied still compressed.
"""

from __future__ import annotations

import bisect
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from mrt.gate import Package

_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_DATE = 0x21  # 1 January 1980: the parser reads no dates from the directory
_UTF8_NAME = 0x800
_OPEN, _CLOSE, _ROW = b"<sheetData>", b"</sheetData>", b"<row "
# A value the parser may show: text after <v> (or <v ...>, e.g. xml:space="preserve") or after an
# inline string's <t>; not <v/> or <v /> (openpyxl's formula cells).
_VALUE = re.compile(rb"<[vt](?:>[^<]| (?!/>))")
_ROW_TAG = re.compile(rb"<row[ >/]")
_NUMBERED = b'<row r="'
_MAIN = b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_STRICT = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
_DIGITS = b"0123456789"
_WORTH_IT = 64 * 1024  # smaller parts parse in less time than a copy of the package takes


@dataclass(frozen=True)
class LeanSpec:
    """What the reader reads of a list sheet: rows before `first_row` whole, then these columns."""

    first_row: int
    columns: frozenset[bytes]  # column letters, e.g. b"A"


class _Columns(dict[bytes, bool]):
    """Whether a cell reference's first three bytes (`A12`, `AB1`, `ABC`) name a column read."""

    def __init__(self, columns: frozenset[bytes]) -> None:
        super().__init__()
        self.columns = columns

    def __missing__(self, head: bytes) -> bool:
        self[head] = head.split(b'"', 1)[0].rstrip(_DIGITS) in self.columns
        return self[head]


def _shown(data: bytes, at: int, read: _Columns) -> bool:
    """Whether the value at `at` is in a column read and not an error value (t="e": read as empty);
    True when its cell is not written the plain way."""
    cell = data.rfind(b"<c", 0, at)  # in sheetData only a cell's tag starts so
    if cell < 0 or data[cell + 2 : cell + 6] != b' r="':
        return True
    if not read[data[cell + 6 : cell + 9]]:
        return False
    return data[at + 3 : at + 4] != b"#" or b' t="e"' not in data[cell : data.find(b">", cell)]


def kept_rows(data: bytes, spec: LeanSpec) -> list[tuple[int, int]] | None:
    """(start, end) of each row in a sheetData's content worth parsing; None when every row is, or
    when the rows are not written the plain way (a row without its number moves when one before goes)."""
    starts = [m.start() for m in _ROW_TAG.finditer(data)]
    if not starts or data[: starts[0]].strip() or not all(data.startswith(_NUMBERED, s) for s in starts):
        return None
    keep = [False] * len(starts)
    first = 0
    for first, s in enumerate(starts):
        number = data[s + len(_NUMBERED) : data.find(b'"', s + len(_NUMBERED))]
        if not number.isdigit() or int(number) >= spec.first_row:
            break
        keep[first] = True
    starts.append(len(data))
    read = _Columns(spec.columns)
    until = 0  # the end of the last row kept: its other values need no look
    for m in _VALUE.finditer(data, starts[first]):
        at = m.start()
        if at >= until and _shown(data, at, read):
            i = bisect.bisect_right(starts, at) - 1
            keep[i], until = True, starts[i + 1]
    if all(keep):
        return None
    return [(starts[i], starts[i + 1]) for i, k in enumerate(keep) if k]


def lean_sheet(xml: bytes, spec: LeanSpec) -> bytes | None:
    """The sheet part without the rows the reader would find empty; None when nothing is left out.

    Only for parts that bind the main namespace once, as the default (no prefixed `x:v` to miss)."""
    start, end = xml.find(_OPEN), xml.rfind(_CLOSE)
    if start < 0 or end < start or xml.count(_MAIN) != 1 or b"xmlns=" + _MAIN not in xml[:start]:
        return None
    if _STRICT in xml[:start]:
        return None
    begin = start + len(_OPEN)
    data = xml[begin:end]
    spans = kept_rows(data, spec)
    if spans is None:
        return None
    return b"".join((xml[:begin], *(data[s:e] for s, e in spans), xml[end:]))


def _name(info: zipfile.ZipInfo) -> tuple[bytes, int]:
    try:
        return info.filename.encode("ascii"), 0
    except UnicodeEncodeError:
        return info.filename.encode("utf-8"), _UTF8_NAME


def lean_package(data: bytes, package: Package, specs: Mapping[str, LeanSpec]) -> bytes:
    """The package as the parser should read it: its large list sheets lean (`data` when none is)."""
    lean = {}
    for name, spec in specs.items():
        part = package.sheet_part(name, min_size=_WORTH_IT)
        if part is not None and (xml := lean_sheet(part[1], spec)) is not None:
            lean[part[0]] = xml
    return repack(data, package.infolist(), lean) if lean else data


def repack(data: bytes, infos: list[zipfile.ZipInfo], lean: dict[str, bytes]) -> bytes:
    """A copy of the zip `data` with the parts in `lean` replaced (stored); every other part's
    compressed bytes copied as they are. The directory was checked before (`mrt.gate.Package`)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for info in infos:
        name, flags = _name(info)
        if info.filename in lean:
            body = lean[info.filename]
            method, crc, size, packed = zipfile.ZIP_STORED, zlib.crc32(body), len(body), len(body)
        else:
            fields = _LOCAL.unpack_from(data, info.header_offset)
            begin = info.header_offset + _LOCAL.size + fields[9] + fields[10]
            body = data[begin : begin + info.compress_size]
            method, crc, size, packed = info.compress_type, info.CRC, info.file_size, info.compress_size
        local = _LOCAL.pack(b"PK\x03\x04", 20, flags, method, 0, _DOS_DATE, crc, packed, size, len(name), 0)
        out += (local, name, body)
        fields = (flags, method, 0, _DOS_DATE, crc, packed, size, len(name), 0, 0, 0, 0, 0, offset)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, *fields) + name)
        offset += len(local) + len(name) + len(body)
    directory = b"".join(central)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join((*out, directory, end))
