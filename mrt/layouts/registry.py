"""Choose the layout of a family and version (the generation that shares its cell map)."""

from __future__ import annotations

from mrt.layout import Layout
from mrt.layouts import amrt1, cmrt2, cmrt3, cmrt6, crt2, emrt1, emrt2
from mrt.model import Unreadable
from mrt.workbook import Book, label

_METALS = frozenset(m.casefold() for m in cmrt2.METALS)
# (family, major version) -> layout; minor versions share their generation's cells.
_BY_MAJOR: dict[tuple[str, int], Layout] = {
    ("CMRT", 6): cmrt6.LAYOUT,
    ("CMRT", 5): cmrt3.LAYOUT_5,
    ("CMRT", 4): cmrt3.LAYOUT_4,
    ("CMRT", 3): cmrt3.LAYOUT,
    ("CMRT", 2): cmrt2.LAYOUT,
    ("EMRT", 1): emrt1.LAYOUT,
    ("EMRT", 2): emrt2.LAYOUT,
    ("CRT", 2): crt2.LAYOUT,
}

# Every layout generation, for tests and tools that write or verify each of them.
ALL_LAYOUTS: tuple[Layout, ...] = (
    cmrt6.LAYOUT,
    cmrt3.LAYOUT_5,
    cmrt3.LAYOUT_4,
    cmrt3.LAYOUT,
    cmrt2.LAYOUT,
    cmrt2.LAYOUT_200,
    cmrt2.LAYOUT_SHIFTED,
    emrt1.LAYOUT,
    emrt2.LAYOUT,
    emrt2.LAYOUT_21,
    crt2.LAYOUT,
    amrt1.LAYOUT_12,
    amrt1.LAYOUT_13,
)


def _number(version: str) -> tuple[int, float]:
    """(major, minor as a fraction): "2.03a" -> (2, 0.03), "1.21" -> (1, 0.21); (-1, 0) if unparseable."""
    head, _, tail = version.partition(".")
    digits = "".join(ch for ch in tail if ch.isdigit())
    if not head.isdigit():
        return -1, 0.0
    return int(head), float(f"0.{digits}") if digits else 0.0


def _metal(value: object) -> bool:
    name = (label(value) or "").split(" (")[0].casefold()  # 2.00 writes "Gold (Au)"
    return name in _METALS


def _metal_in_column_a(book: Book | None) -> bool:
    """Some 2.0x files list the metal in column A instead of B. The header is a formula, so the rows
    decide; the header's cached text only when no row names a metal."""
    sheet = book.sheet("Smelter List") if book else None
    if sheet is None:
        return False
    for row in range(4, min(sheet.last_row, 2504)):
        in_a, in_b = sheet.row_values(row, [0, 1])
        if _metal(in_a) or _metal(in_b):
            return _metal(in_a)
    return (label(sheet.raw("A4")) or "").casefold().startswith("metal")


def layout_for(family: str, version: str, book: Book | None = None) -> Layout:
    """The layout for this family and version, or Unreadable("unsupported-version")."""
    major, minor = _number(version)
    layout: Layout | None
    if family == "AMRT" and major == 1 and minor >= 0.2:
        layout = amrt1.LAYOUT_13 if minor >= 0.3 else amrt1.LAYOUT_12
    elif family == "EMRT" and major == 2 and minor >= 0.1:
        layout = emrt2.LAYOUT_21
    elif family == "CMRT" and major == 2:
        if _metal_in_column_a(book):
            layout = cmrt2.LAYOUT_SHIFTED
        else:
            layout = cmrt2.LAYOUT_200 if minor < 0.02 else cmrt2.LAYOUT
    else:
        layout = _BY_MAJOR.get((family, major))
    if layout is None:
        raise Unreadable(
            "unsupported-version",
            f"{family} revision {version} is not supported. Please use the current RMI template.",
        )
    return layout
