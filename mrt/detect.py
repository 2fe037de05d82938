"""Which template a workbook is: family, version as the file states it, language and layout.

Decided from what every tool that writes xlsx keeps: literal cells (the `Revision` stamps, the
language chosen in D3), the sheet set, and the hidden translation sheet `L`, which holds the title in
every language. The title in Declaration!D2 is a formula over `L`: only Excel-like tools cache its
value, and it names the wrong family in some languages (the CRT's French title says "(CMRT)"), so it
decides only for files that have no `L` and hold their title as text; the minerals of the Smelter
Look-up come last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mrt.layout import Layout
from mrt.layouts import registry
from mrt.layouts.common import LANGUAGES
from mrt.model import Family, Unreadable
from mrt.workbook import Book, label, text

_REVISION = re.compile(r"Revision\s*([0-9]+(?:\.[0-9]+)?[a-z]?)", re.IGNORECASE)
_ACRONYM = re.compile(r"\((CMRT|EMRT|CRT|AMRT|PRT)\)")
TRANSLATIONS = "L"  # hidden sheet: A key, B sheet, C cell, D English, E.. other languages
_TITLE_AT = ("Declaration", "D2")
# Minerals only one family's look-up lists, tried in order: a cobalt-only look-up is the CRT's.
_LOOKUP_MINERALS: tuple[tuple[Family, frozenset[str]], ...] = (
    ("CMRT", frozenset({"tantalum", "tin", "gold", "tungsten"})),
    ("EMRT", frozenset({"mica", "copper", "graphite", "lithium", "nickel"})),
    ("CRT", frozenset({"cobalt"})),
)
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


def family_in_title(title: object) -> Family | None:
    """The family a template title names: its acronym in brackets (full-width ones too), or
    "Conflict Minerals" in CMRTs before the acronym was added; None for anything else."""
    value = label(title)
    if not value:
        return None
    m = _ACRONYM.search(value.upper())
    if m:
        return "AMRT" if m.group(1) == "PRT" else m.group(1)  # type: ignore[return-value]
    return "CMRT" if "conflict minerals" in value.casefold() else None


def translated_title(book: Book) -> str | None:
    """Declaration!D2's English title as the translation sheet lists it, or None without one."""
    sheet = book.sheet(TRANSLATIONS)
    if sheet is None:
        return None
    for row in range(sheet.row0, sheet.last_row):
        where, cell, english = sheet.row_values(row, [1, 2, 3])
        if (text(where), (text(cell) or "").replace("$", "").upper()) == _TITLE_AT:
            return text(english)
    return None


def _family_of_lookup(book: Book) -> Family | None:
    """The family whose minerals the Smelter Look-up lists (its metals are text in every release)."""
    sheet = book.sheet("Smelter Look-up")
    if sheet is None or not {"Declaration", "Smelter List"} <= set(book.sheet_names):
        return None
    metals = {(label(sheet.at(row, 0)) or "").casefold() for row in range(4, sheet.last_row)}
    for family, minerals in _LOOKUP_MINERALS:
        if metals & minerals:
            return family
    return None


def _family(book: Book) -> Family:
    family = family_in_title(translated_title(book))
    if family:
        return family
    names = set(book.sheet_names)
    if "Smelter and Mine List" in names:  # 1.0
        return "CMRT"
    if {"Declaration", "Smelter List", "Standard Smelter Names"} <= names:  # 2.0x, 3.0x
        return "CMRT"
    if {"Declaration", "Minerals Scope"} <= names:
        return "AMRT"
    declaration = book.sheet("Declaration")
    family = family_in_title(declaration.raw("D2") if declaration else None)  # a title written as text
    if family:
        return family
    family = _family_of_lookup(book)
    if family:
        return family
    raise Unreadable(
        "unknown-template",
        "This is not an RMI reporting template (CMRT, EMRT, CRT or AMRT): neither its translation "
        "sheet nor Declaration!D2 names a template.",
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
        m = _REVISION.search(label(sheet.raw(cell)) or "") if sheet else None
        if m:
            return m.group(1)
    return _revision_sheet_version(book)


def language_code(chosen: object) -> str | None:
    """ISO 639-1 code of a language as the D3 list shows it ("日本語 Japanese"), or of either of
    its words ("Japanese", "日本語"), in any case or width; None when it is none of them."""
    value = (label(chosen) or "").casefold()
    if not value:
        return None
    for name, code in LANGUAGES.items():
        words = name.casefold().split()
        if value == name.casefold() or value in words or value.split()[0] == words[0]:
            return code
    return None


def language_of(book: Book, layout: Layout) -> str:
    """ISO 639-1 code of the language selected in the file (English when unknown).

    The selection is the supplier's input in the language cell (D3 in every generation), never a
    formula, so it survives any tool; the template looks it up in `L`'s first row like this."""
    sheet = book.sheet(layout.declaration_sheet)
    chosen = sheet.raw(layout.language_cell) if sheet and layout.language_cell else None
    return language_code(chosen) or "en"


def identify(book: Book) -> Identity:
    """Family, version, language and layout of a workbook, or Unreadable with the reason."""
    family = _family(book)
    version = version_of(book)
    if version is None:
        raise Unreadable("unknown-template", f"This {family} file does not state its revision.")
    layout = registry.layout_for(family, version, book)
    return Identity(family, version, language_of(book, layout), layout)
