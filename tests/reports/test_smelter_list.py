"""Consolidated smelter list of a campaign: every line, every data gap, filters, frozen header, charts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from campaign_kit import FORMULA_NAME, World, rows_of
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MINERALS_FILE_STORE_DIR", "MINERALS_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def book(world: World, tmp_path: Path) -> openpyxl.Workbook:
    path = tmp_path / "smelters.xlsx"
    args = ["report", "smelters", "--data-dir", str(world.store.parent), "--campaign", "cmrt-2025"]
    result = runner.invoke(app, [*args, "--as-of", "2025-06-30", "--xlsx", str(path)])
    assert result.exit_code == 0, result.output
    assert "5 smelter(s) and 3 data gap(s)" in result.stdout
    return openpyxl.load_workbook(path)


def test_every_smelter_once_per_metal_with_its_status_and_suppliers(book: openpyxl.Workbook) -> None:
    ws = book["Smelters"]
    assert rows_of(ws) == [
        [
            "Metal",
            "Smelter ID",
            "Smelter name",
            "Country",
            "Status on 2025-06-30",
            "Counted as",
            "Suppliers naming it",
        ],
        ["Gold", "CID900001", "Alpha Gold Refinery", "JAPAN", "conformant", "conformant", 2],
        ["Gold", "CID900002", "Beta Gold Refinery", "SWITZERLAND", "active", "active", 1],
        ["Tantalum", "CID900005", "Epsilon Tantalum Works", "CHINA", "conformant", "other", 2],
        ["Tin", "CID900003", "Gamma Tin Smelter", "INDONESIA", "conformant", "conformant", 1],
        ["Tin", "CID900004", "Delta Tin Smelter", "BOLIVIA", "suspended", "other", 1],
    ]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G6"


def test_data_gaps_per_supplier_keep_formula_text_as_text(book: openpyxl.Workbook) -> None:
    ws = book["Data gaps"]
    assert [r[:5] for r in rows_of(ws)[1:]] == [
        ["S1", "S1 Components (fictitious)", "Tungsten", 8, "not yet identified"],
        ["S2", "S2 Components (fictitious)", "Tin", 8, "not listed"],
        ["S2", "S2 Components (fictitious)", "Tungsten", 9, "not yet identified"],
    ]
    cell = ws["F3"]
    assert (cell.value, cell.data_type) == (FORMULA_NAME, "s")
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:G4"


def test_charts_show_conformance_by_metal_and_responses_over_time(book: openpyxl.Workbook) -> None:
    ws = book["Charts"]
    assert [type(c).__name__ for c in ws._charts] == ["BarChart", "LineChart"]
    assert [r[:4] for r in rows_of(ws)[:5]] == [
        ["Metal", "Conformant", "Active", "Other"],
        ["Gold", 1, 1, 0],
        ["Tantalum", 0, 0, 1],
        ["Tin", 1, 0, 1],
        [None, None, None, None],
    ]
    responses = [r[:2] for r in rows_of(ws)[20:23]]
    assert [(d.date().isoformat(), n) for d, n in responses] == [
        ("2025-05-10", 1),
        ("2025-05-20", 2),
        ("2025-06-05", 3),
    ]
