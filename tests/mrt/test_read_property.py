"""Property: whatever workbook a supplier sends, `mrt.read` returns a declaration or raises Unreadable."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mrt.isolation import ParsePool
from mrt.layouts.registry import ALL_LAYOUTS
from mrt.model import Declaration, Unreadable
from mrt.reader import read
from mrt.writer import Filling, write_template

# Text Excel can hold (no control characters), plus the shapes suppliers and attackers type.
TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(
        ["=1+1", "+SUM(A1)", "-2", "@cmd", "#N/A", "Smelter not listed", "  ", "N/A", "CID000001"]
    ),
)
# Excel stores no date before 1 March 1900 (serials below 61 are times or the fictitious 29 Feb 1900).
EXCEL_DATES = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31))
VALUE = st.one_of(TEXT, st.integers(-(10**12), 10**12), st.floats(allow_nan=False), EXCEL_DATES)
VERSION = st.one_of(st.sampled_from(["6.5", "6.01", "5.12", "3.01", "2.03a", "2", "1.3", "2.1", "1.0"]), TEXT)


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsePool]:
    p = ParsePool(size=1)
    yield p
    p.close()


@st.composite
def fillings(draw: st.DrawFn) -> tuple[int, Filling]:
    index = draw(st.integers(0, len(ALL_LAYOUTS) - 1))
    layout = ALL_LAYOUTS[index]
    keys = [f.key for f in layout.company]
    smelter_fields = [name for name, _ in layout.smelters.columns]
    return index, Filling(
        version=draw(VERSION),
        language=draw(st.sampled_from(["en", "ja", "zh", "xx"])),
        company=draw(st.dictionaries(st.sampled_from(keys), VALUE, max_size=len(keys))),
        minerals=draw(st.lists(TEXT, max_size=6)),
        answers={q.key: {m: draw(VALUE) for m in layout.minerals[:2]} for q in layout.questions[:2]},
        smelters=draw(
            st.lists(st.dictionaries(st.sampled_from(smelter_fields), VALUE, max_size=6), max_size=6)
        ),
    )


def _read(data: bytes, suffix: str, pool: ParsePool) -> Declaration | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return read(path, pool=pool)
        except Unreadable as exc:
            assert exc.code and exc.message
            return None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=fillings())
def test_generated_workbooks_read_or_are_unreadable(case: tuple[int, Filling], pool: ParsePool) -> None:
    index, filling = case
    out = io.BytesIO()
    write_template(ALL_LAYOUTS[index], filling, out)
    decl = _read(out.getvalue(), ".xlsx", pool)
    if decl is not None:
        name = filling.company.get("name")
        if isinstance(name, str) and "name" in decl.company:
            assert decl.company["name"].value == (name.strip() or None)  # text survives, trimmed
        if isinstance(name, dt.date) and not isinstance(name, dt.datetime) and "name" in decl.company:
            assert decl.company["name"].value == name.isoformat()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.floats(0.0, 1.0), flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8)
)
def test_damaged_files_read_or_are_unreadable(
    cut: float, flips: list[tuple[float, int]], pool: ParsePool
) -> None:
    out = io.BytesIO()
    write_template(ALL_LAYOUTS[0], Filling(version="6.5", company={"name": "Example"}), out)
    data = bytearray(out.getvalue())
    for where, byte in flips:
        data[int(where * (len(data) - 1))] = byte
    _read(bytes(data[: max(1, int(cut * len(data)))]), ".xlsx", pool)
