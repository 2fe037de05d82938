"""Lean list sheets: the rows left out are the ones that read as empty where any layout reads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from mrt.lean import LeanSpec, lean_sheet, repack
from mrt.reader import LEAN_SHEETS, read_book
from mrt.workbook import open_book

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SPEC = LeanSpec(first_row=3, columns=frozenset({b"A", b"B"}))
EMPTY_ROW = (
    '<row r="{n}"><c r="A{n}" t="str"><f>X</f><v/></c><c r="B{n}"><f>Y</f><v /></c>'
    '<c r="V{n}" t="e"><v>#N/A</v></c>{extra}</row>'
)


def sheet(rows: str, root: str = f'<worksheet xmlns="{MAIN}">') -> bytes:
    return f'<?xml version="1.0"?>{root}<sheetData>{rows}</sheetData></worksheet>'.encode()


def numbers(xml: bytes | None) -> list[str]:
    assert xml is not None
    return [chunk.split('"', 1)[0] for chunk in xml.decode().split('<row r="')[1:]]


def empty(n: int, extra: str = "") -> str:
    return EMPTY_ROW.format(n=n, extra=extra)


def test_rows_without_a_value_in_a_column_read_are_left_out() -> None:
    rows = (
        '<row r="1"><c r="Z1" t="e"><v>#N/A</v></c></row>'  # a header row stays whatever it holds
        + empty(3)
        + empty(4, '<c r="X4"><v>0</v></c>')  # a value where no layout reads
        + '<row r="5"><c r="B5" t="s"><v>7</v></c></row>'
        + empty(6)
    )
    assert numbers(lean_sheet(sheet(rows), SPEC)) == ["1", "5"]


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="A9" t="str"><f>X</f><v>#1 tin</v></c>',  # text that starts like an error
        '<c r="B9" t="inlineStr"><is><t>Tin</t></is></c>',
        '<c r="A9" t="str"><v xml:space="preserve"> Tin</v></c>',
        "<c><v>1</v></c>",  # a cell without its reference: kept, whatever its column
        '<c r="B9" t="b"><v>0</v></c>',
    ],
)
def test_any_value_the_parser_shows_in_a_column_read_keeps_its_row(cell: str) -> None:
    rows = empty(8) + f'<row r="9">{cell}</row>' + empty(10)
    assert numbers(lean_sheet(sheet(rows), SPEC)) == ["9"]


@pytest.mark.parametrize(
    ("rows", "root"),
    [
        (empty(3) + "<row><c><v>1</v></c></row>", None),  # its number follows the row before it
        (empty(3) + '<row spans="1:2" r="4"><c r="A4"><v>1</v></c></row>', None),
        (empty(3), f'<x:worksheet xmlns:x="{MAIN}">'),
        (empty(3), f'<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}">'),  # x:v would be a value too
        ('<row r="3"><c r="A3"><v>1</v></c></row>', None),  # nothing to leave out
    ],
)
def test_parts_not_written_the_plain_way_are_left_whole(rows: str, root: str | None) -> None:
    xml = sheet(rows, root) if root else sheet(rows)
    assert lean_sheet(xml, SPEC) is None


def test_repacked_package_holds_the_same_parts() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", b"<a/>" * 1000)
        z.writestr("\u00e9/b.xml", b"<b/>")
    data = out.getvalue()
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    copy = zipfile.ZipFile(io.BytesIO(repack(data, infos, {"a.xml": b"<lean/>"})))
    assert copy.testzip() is None
    assert copy.read("a.xml") == b"<lean/>"
    assert copy.read("\u00e9/b.xml") == b"<b/>"


def _read(path: Path, lean: bool) -> object:
    return read_book(open_book(path, lean=LEAN_SHEETS if lean else None))


def test_every_real_file_reads_the_same_lean(realworld: Path) -> None:
    """Filled files and official blanks of every family: the same declaration either way."""
    paths = sorted(realworld.glob("*.xlsx"))
    read = [p for p in paths if not p.name.startswith("eicc-cmrt-1.")]  # CMRT 1 is unsupported
    assert read
    for path in read:
        assert _read(path, True) == _read(path, False), path.name


def test_the_parser_reads_the_lean_smelter_list_the_same_in_columns_read(realworld: Path) -> None:
    path = realworld / "filled-cmrt-6.4-honeywell-hem.xlsx"
    if not path.exists():
        pytest.skip("the filled file is not present")
    whole = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Smelter List").to_python()
    book = open_book(path, lean=LEAN_SHEETS)
    lean = book.sheet("Smelter List")
    assert lean is not None and lean.last_row < len(whole) // 10  # most rows were left out
    read = sorted(LEAN_SHEETS["Smelter List"].columns)
    for row, values in enumerate(whole):
        for letter in read:
            col = ord(letter.decode()) - ord("A")
            value = lean.at(row, col)
            assert ("" if value is None else value) == values[col], (row, letter)
