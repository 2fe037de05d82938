"""The six real CMRT 6.4 responses: every smelter resolves by id; Q3/Q4 and missing smelters flagged."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from mrt.model import Declaration
from mrt.reader import read_file
from risk import Registry, assess, import_file, load_registry

# file -> (smelter rows, metals answered Yes to Q3 and Q4, metals declared without smelters)
FILES = {
    "central-glass-tungsten": (4, set(), set()),
    "sk-specialty-wf6": (2, set(), set()),
    "emd-merck-wf6": (1, {"Tungsten"}, set()),
    "jx-advanced-metals": (27, {"Tantalum", "Tungsten"}, set()),
    "pkg-de00-anonymous": (67, {"Tin"}, set()),
    "honeywell-hem": (40, {"Tantalum", "Tin", "Gold", "Tungsten"}, {"Tin", "Gold"}),
}


@lru_cache(maxsize=8)
def read(path: Path) -> Declaration:
    """Each real file is read once per test run."""
    return read_file(path)


@pytest.mark.parametrize("name", sorted(FILES))
def test_real_filled_cmrt(realworld: Path, name: str) -> None:
    rows, sourcing, without = FILES[name]
    decl = read(realworld / f"filled-cmrt-6.4-{name}.xlsx")
    result = assess(decl, Registry.from_lookup(decl.lookup))
    assert len(result.smelters) == rows
    assert {s.match for s in result.smelters} == {"id"}
    assert all(s.matched_id == (s.declared_id or "").upper() and s.score == 100 for s in result.smelters)
    answered = {f.metal for f in result.findings if f.code == "sourcing-cahra"}
    covered = {
        f.metal for f in result.findings if f.code == "sourcing-covered-countries" and not f.smelter_id
    }
    assert answered == covered == sourcing
    assert {f.cell for f in result.findings if f.code == "sourcing-cahra"} <= {"D44", "D45", "D46", "D47"}
    assert {f.metal for f in result.findings if f.code == "metal-without-smelters"} == without
    assert result.risk == ("high" if sourcing else "none")
    assert not result.codes() & {"smelter-unknown", "smelter-needs-review", "smelter-not-identified"}


def test_real_files_resolve_against_the_imported_blank_template(realworld: Path, session: Session) -> None:
    record = import_file(session, realworld / "rmi-cmrt-6.4-blank-en.xlsx", dt.date(2024, 4, 26)).record
    assert (record.kind, record.facilities_added, record.rejected) == ("lookup", 368, [])
    registry = load_registry(session)
    for name in FILES:
        result = assess(read(realworld / f"filled-cmrt-6.4-{name}.xlsx"), registry)
        assert {s.match for s in result.smelters} == {"id"}
        assert all(s.standard_name for s in result.smelters)
