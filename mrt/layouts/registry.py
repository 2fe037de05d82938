"""Choose the layout of a family and version (the generation that shares its cell map)."""

from __future__ import annotations

from mrt.layout import Layout
from mrt.layouts import cmrt6
from mrt.model import Unreadable
from mrt.workbook import Book

# (family, major version) -> layout; minor versions share their generation's cells.
_BY_MAJOR: dict[tuple[str, int], Layout] = {
    ("CMRT", 6): cmrt6.LAYOUT,
}


def _major(version: str) -> int:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else -1


def layout_for(family: str, version: str, book: Book | None = None) -> Layout:
    """The layout for this family and version, or Unreadable("unsupported-version")."""
    layout = _BY_MAJOR.get((family, _major(version)))
    if layout is None:
        raise Unreadable(
            "unsupported-version",
            f"{family} revision {version} is not supported. Please use the current RMI template.",
        )
    return layout
