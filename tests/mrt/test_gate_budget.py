"""The cell budget: what the loaded sheets' ranges really span, summed over the sheets, not what the
files claim; a far stray cell is read, a grid too large for memory is refused before it gets there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_kit import add_cells, template

from mrt.gate import Limits
from mrt.isolation import ParsePool
from mrt.model import Unreadable
from mrt.reader import read, read_book
from mrt.workbook import open_book


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsePool]:
    p = ParsePool(size=1)  # the production memory limit (1 GiB)
    yield p
    p.close()


def _refusal(path: Path, pool: ParsePool, limits: Limits | None = None) -> Unreadable:
    with pytest.raises(Unreadable) as info:
        read(path, pool=pool, limits=limits)
    return info.value


def _spans(path: Path) -> dict[str, int]:
    """Cells each sheet the reader loads spans, as the parser holds it."""
    book = open_book(path)
    read_book(book)
    return {s.name: len(s.rows) * max(map(len, s.rows), default=0) for s in book.loaded}


def test_a_stray_cell_at_zz9999_is_read(tmp_path: Path, pool: ParsePool) -> None:
    # Beside the template's own cells, one value at ZZ9999 makes the Declaration's range 7.0M cells:
    # within the budget and the parser's memory, so the supplier's answers are read, not refused.
    path = add_cells(template(tmp_path), tmp_path / "far.xlsx", {"Declaration": ["ZZ9999"]})
    decl = read(path, pool=pool)
    assert (decl.family, decl.company["name"].value) == ("CMRT", "Example Co")


def test_sheets_count_together_against_the_budget(tmp_path: Path, pool: ParsePool) -> None:
    path = template(tmp_path)
    spans = _spans(path)
    total = sum(spans.values())
    assert len(spans) >= 3 and max(spans.values()) < total - 1
    assert read(path, pool=pool, limits=Limits(max_cells=total)).company["name"].value == "Example Co"
    # One cell less than all loaded sheets span together: refused, though every sheet alone fits.
    refused = _refusal(path, pool, Limits(max_cells=total - 1))
    assert refused.code == "too-large" and "cells" in refused.message


def test_many_mid_size_sheets_are_refused_before_the_memory_limit(tmp_path: Path, pool: ParsePool) -> None:
    # Three sheets of 3.0M cells each (a far cell at ZZ4300): each alone is far under the 8M budget,
    # two together still fit, all three do not. The child stays well under its 1 GiB: a clear verdict.
    base = template(tmp_path)
    two = add_cells(base, tmp_path / "two.xlsx", {"Declaration": ["ZZ4300"], "Smelter List": ["ZZ4300"]})
    assert read(two, pool=pool).company["name"].value == "Example Co"
    three = add_cells(
        base,
        tmp_path / "three.xlsx",
        {"Declaration": ["ZZ4300"], "Smelter List": ["ZZ4300"], "Product List": ["ZZ4300"]},
    )
    assert _refusal(three, pool).code == "too-large"
    assert pool.call(int, "1") == 1  # the same child serves on: it never hit its memory limit


def test_a_huge_grid_is_refused_as_too_large(tmp_path: Path, pool: ParsePool) -> None:
    # A1 to XFD1048576 would be 17 billion cells: refused with the reason, never a crash verdict.
    path = add_cells(template(tmp_path), tmp_path / "grid.xlsx", {"Product List": ["XFD1048576"]})
    refused = _refusal(path, pool)
    assert refused.code == "too-large" and "Product List" in refused.message


def test_legacy_xls_sheets_count_against_the_budget_too(realworld: Path, pool: ParsePool) -> None:
    legacy = realworld / "cfsi-cmrt-3.01-sample-filled-encrypted.xls"  # default password, BIFF inside
    assert read(legacy, pool=pool).version == "3.01"
    assert _refusal(legacy, pool, Limits(max_cells=1000)).code == "too-large"
