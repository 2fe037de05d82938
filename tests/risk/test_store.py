"""Registry imports into SQL (SQLite, and PostgreSQL when configured) and dated statuses."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.registry import RegistryFacility, RegistryImport
from mrt.model import Declaration
from risk import SourceError, assess, import_file, load_registry

Build = Callable[..., Declaration]
Answers = Callable[..., dict[str, dict[str, str]]]
JUNE, JANUARY = dt.date(2014, 6, 1), dt.date(2015, 1, 15)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as out:
        csv.writer(out).writerows(rows)
    return path


def test_cfsi_2014_lists_import_and_old_ids_resolve(session: Session, realworld: Path) -> None:
    ids = import_file(session, realworld / "cfsi-smelter-id-v2-to-v3-map.csv", JUNE).record
    assert (ids.kind, ids.rows_read, ids.facilities_added, ids.aliases_added) == ("id-map", 215, 215, 183)
    listed = import_file(session, realworld / "cfsi-compliant-smelters-2014.csv", JUNE).record  # Latin-1
    assert (listed.kind, listed.rows_read, listed.statuses_added) == ("status-list", 131, 127)
    # The real file has a truncated id and repeated facilities: each reported by line, the rest imported.
    assert [r["line"] for r in listed.rejected] == [89, 119, 124, 132]
    assert "not an RMI facility id" in listed.rejected[0]["reason"]
    assert "already on line" in listed.rejected[1]["reason"]
    registry = load_registry(session, JUNE)
    statuses = [s.status for s in registry.statuses.values()]
    assert (statuses.count("conformant"), statuses.count("active")) == (
        87,
        40,
    )  # Progressing counts as active
    assert registry.resolve_id("1jpn072") == "CID000019"


def test_a_status_change_between_two_dates_changes_the_assessment(
    session: Session, realworld: Path, tmp_path: Path, declare: Build, using: Answers
) -> None:
    source = realworld / "cfsi-compliant-smelters-2014.csv"
    import_file(session, source, JUNE)
    with source.open(encoding="latin-1", newline="") as f:
        rows = list(csv.reader(f))
    metal, cid = next((r[0], r[1]) for r in rows[1:] if r and r[4] == "Progressing")
    later = write_csv(tmp_path / "later.csv", [["Smelter ID", "Status"], [cid, "Conformant"]])
    import_file(session, later, JANUARY)
    decl = declare(using(metal), {}, [{"metal": metal, "smelter_id": cid}])
    before = assess(decl, load_registry(session, dt.date(2014, 12, 31)))
    after = assess(decl, load_registry(session, dt.date(2015, 2, 1)))
    assert (before.smelters[0].rmap_status, before.codes()) == ("active", {"smelter-active-not-conformant"})
    assert (after.smelters[0].rmap_status, after.risk) == ("conformant", "none")


def test_xlsx_list_with_title_rows_audit_dates_and_bad_rows(session: Session, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["About this export: read me first"])  # the list is on the second sheet
    ws = wb.create_sheet("Facilities")
    ws.append(["Conformant facilities, generated for a test"])
    ws.append([])
    ws.append(
        [
            "Metal",
            "Facility ID",
            "Standard Facility Name",
            "Country Location",
            "Due Diligence Assessment Program Status",
            "Last On-site Assessment Date",
            "Due Diligence Assessment Cycle",
        ]
    )
    ws.append(
        ["Gold", "CID900001", "Example Gold Refinery", "Japan", "Conformant", dt.date(2024, 3, 1), "1 year"]
    )
    ws.append(["Gold", "CID900002", "Second Refinery", "Peru", "Conformant", dt.date(2022, 3, 1), "1 year"])
    ws.append(["Gold", "CID900003", "Third Refinery", "Chile", "Pending review", None, None])
    ws.append(["Gold", "CID900004", "Fourth Refinery", "Chile", "Active", "soon", "2 years"])
    ws.append(["Tin", "XYZ", "Fifth", "Chile", "Active", None, None])
    wb.save(tmp_path / "list.xlsx")
    record = import_file(session, tmp_path / "list.xlsx", dt.date(2024, 12, 1)).record
    assert (record.kind, record.statuses_added) == ("status-list", 2)
    assert [(r["line"], r["reason"].split(" ")[0]) for r in record.rejected] == [
        (6, "status"),
        (7, "last"),
        (8, "'XYZ'"),
    ]
    registry = load_registry(session, dt.date(2024, 12, 1))
    assert registry.statuses["CID900001"].expired(dt.date(2024, 12, 1)) is False
    assert registry.statuses["CID900002"].expired(dt.date(2024, 12, 1)) is True


def test_whole_file_problems_store_nothing(session: Session, tmp_path: Path) -> None:
    no_header = write_csv(tmp_path / "people.csv", [["name", "email"], ["a", "b"]])
    with pytest.raises(SourceError, match="no header row with a facility id column"):
        import_file(session, no_header, JUNE)
    with pytest.raises(SourceError, match="could not be opened"):
        (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
        import_file(session, tmp_path / "broken.xlsx", JUNE)
    assert session.scalar(select(func.count()).select_from(RegistryImport)) == 0


def test_an_import_failing_midway_leaves_nothing(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["Metal", "Smelter ID", "Smelter Name", "Status"]]
    rows += [["Tin", f"CID90000{i}", f"Smelter {i}", "Active"] for i in range(1, 6)]
    path = write_csv(tmp_path / "list.csv", rows)
    import risk.store

    calls = []

    def failing(facility: RegistryFacility, row: object) -> None:
        calls.append(row)
        if len(calls) == 3:
            raise RuntimeError("disk full")

    monkeypatch.setattr(risk.store, "_update", failing)
    with pytest.raises(RuntimeError):
        import_file(session, path, JUNE)
    monkeypatch.undo()
    assert session.scalar(select(func.count()).select_from(RegistryFacility)) == 0
    assert session.scalar(select(func.count()).select_from(RegistryImport)) == 0
    assert import_file(session, path, JUNE).record.facilities_added == 5


def test_reimporting_the_same_file_and_date_is_a_no_op(session: Session, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "list.csv",
        [["Metal", "CID", "Smelter Name", "RMAP Status"], ["Tin", "CID900001", "Example Tin", "Conformant"]],
    )
    first = import_file(session, path, JUNE)
    again = import_file(session, path, JUNE)
    assert (first.duplicate, again.duplicate, again.record.id) == (False, True, first.record.id)
    assert import_file(session, path, JANUARY).duplicate is False  # a new snapshot date is a new import
