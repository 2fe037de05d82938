"""Which template a workbook is: family, version as the file states it, language and layout."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mrt.layout import Layout
from mrt.layouts import registry
from mrt.layouts.common import LANGUAGES
from mrt.model import Family, Unreadable
from mrt.workbook import Book

_REVISION = re.compile(r"Revision\s*([0-9]+(?:\.[0-9]+)?[a-z]?)", re.IGNORECASE)
_ACRONYM = re.compile(r"\((CMRT|EMRT|CRT|AMRT|PRT)\)")
# Older places of the revision stamp, tried after Declaration!J3 (3.x, 2.03a, 2.0x, 1.0).
_VERSION_CELLS = (
    ("Declaration", "J3"),
    ("Smelter List", "Q3"),
    ("Smelter List", "O3"),
    ("Smelter List", "N3"),
    ("Smelter and Mine List", "R3"),
)


@dataclass(frozen=True)
class Identity:
    """What a workbook is."""

    family: Family
    version: str
    language: str
    layout: Layout


def _family(book: Book) -> Family:
    declaration = book.sheet("Declaration")
    title = declaration.value("D2") if declaration else None
    if title:
        m = _ACRONYM.search(title)
        if m:
            return "AMRT" if m.group(1) == "PRT" else m.group(1)  # type: ignore[return-value]
        if "conflict minerals" in title.casefold():
            return "CMRT"
    names = set(book.sheet_names)
    if "Smelter and Mine List" in names:
        return "CMRT"
    if "Minerals Scope" in names and "Declaration" in names:
        return "AMRT"
    if {"Declaration", "Smelter List"} <= names and "Standard Smelter Names" in names:
        return "CMRT"
    raise Unreadable(
        "unknown-template",
        "This is not an RMI reporting template (CMRT, EMRT, CRT or AMRT): no template title was found "
        "in Declaration!D2.",
    )


def _revision_sheet_version(book: Book) -> str | None:
    sheet = book.sheet("Revision")
    if sheet is None:
        return None
    found = None
    for row in range(sheet.row0, sheet.last_row):
        value = sheet.at(row, 1)
        if isinstance(value, int | float) and 0 < value < 100:
            found = f"{value:g}"
        elif isinstance(value, str) and re.fullmatch(r"[0-9]+(\.[0-9]+)?[a-z]?", value.strip()):
            found = value.strip()
    return found


def version_of(book: Book) -> str | None:
    """The revision the file states ("6.4", "2.03a"), from the first place that has one."""
    for sheet_name, cell in _VERSION_CELLS:
        sheet = book.sheet(sheet_name)
        value = sheet.value(cell) if sheet else None
        m = _REVISION.search(value or "")
        if m:
            return m.group(1)
    return _revision_sheet_version(book)


def language_of(book: Book, layout: Layout) -> str:
    """ISO 639-1 code of the language selected in the file (English when unknown)."""
    sheet = book.sheet(layout.declaration_sheet)
    label = sheet.value(layout.language_cell) if sheet and layout.language_cell else None
    if not label:
        return "en"
    for name, code in LANGUAGES.items():
        if label.casefold() == name.casefold() or label.split()[0] == name.split()[0]:
            return code
    return "en"


def identify(book: Book) -> Identity:
    """Family, version, language and layout of a workbook, or Unreadable with the reason."""
    family = _family(book)
    version = version_of(book)
    if version is None:
        raise Unreadable("unknown-template", f"This {family} file does not state its revision.")
    layout = registry.layout_for(family, version, book)
    return Identity(family, version, language_of(book, layout), layout)
