"""Hostile uploads made from a generated CMRT 6.5: one part replaced or added, the rest unchanged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from mrt.layouts import cmrt6
from mrt.writer import Filling, write_template

LOL = (
    '<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>&lol2;</t></si></sst>"
)


def entity_bomb(codec: str = "utf-8", declared: str = "UTF-8") -> bytes:
    """A shared-strings part declaring entities, encoded with `codec` (with or without a BOM)."""
    return LOL.format(encoding=declared).encode(codec)


def template(tmp_path: Path, name: str = "ok.xlsx", company: str = "Example Co") -> Path:
    """A valid CMRT 6.5 with a company name and one smelter row."""
    path = tmp_path / name
    filling = Filling(version="6.5", company={"name": company}, smelters=[{"metal": "Tin", "lookup": "X"}])
    write_template(cmrt6.LAYOUT, filling, path)
    return path


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """Copy an xlsx, replacing or adding members."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in replace:
                zout.writestr(info, zin.read(info))
        for name, data in replace.items():
            zout.writestr(name, data)
    return target


def sheet_member(path: Path, sheet: str) -> str:
    """The zip member holding a sheet (the writer names them in sheet order)."""
    index = openpyxl.load_workbook(path, read_only=True).sheetnames.index(sheet) + 1
    return f"xl/worksheets/sheet{index}.xml"


def add_cells(source: Path, target: Path, cells: dict[str, list[str]]) -> Path:
    """Copy an xlsx with one inline-text cell added to each named sheet per reference ("ZZ9999")."""
    replace = {}
    with zipfile.ZipFile(source) as z:
        for sheet, refs in cells.items():
            member = sheet_member(source, sheet)
            rows = "".join(
                f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}" t="inlineStr">'
                "<is><t>far</t></is></c></row>"
                for ref in refs
            )
            replace[member] = z.read(member).replace(b"</sheetData>", f"{rows}</sheetData>".encode())
    return rezip(source, target, replace)
