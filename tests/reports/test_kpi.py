"""KPI table of a campaign with known answers: every number, on the report date and later."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from campaign_kit import Builder, World, add_campaign
from rich.console import Console
from typer.testing import CliRunner

from cli.main import app
from cli.report import print_campaign_kpi
from models.settings import load_settings

runner = CliRunner()
FIELDS = (
    "suppliers_in_scope",
    "responded",
    "complete",
    "smelters",
    "conformant",
    "active",
    "other",
    "data_gaps",
    "corrective_action",
)


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MINERALS_FILE_STORE_DIR", "MINERALS_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def kpi(world: World, *args: str) -> dict[str, Any]:
    data_dir = str(world.store.parent)
    result = runner.invoke(app, ["report", "kpi", "--data-dir", data_dir, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def table(report: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    return {r["metal"] or r["group"]: tuple(r[f] for f in FIELDS) for r in report["rows"]}


def test_every_number_on_the_report_date(world: World) -> None:
    report = kpi(world, "--campaign", "cmrt-2025", "--as-of", "2025-06-30")
    # in scope, responded, complete, smelters, conformant, active, other, gaps, corrective action
    assert table(report) == {
        "3TG": (5, 3, 2, 5, 2, 1, 2, 3, 1),
        "Tantalum": (5, 3, 2, 1, 0, 0, 1, 0, 0),
        "Tin": (5, 3, 2, 2, 1, 0, 1, 1, 1),
        "Gold": (5, 3, 2, 2, 1, 1, 0, 0, 0),
        "Tungsten": (5, 3, 2, 0, 0, 0, 0, 2, 0),
    }
    group = report["rows"][0]
    assert (group["response_rate"], group["conformant_share"], group["participating_share"]) == (
        0.6,
        0.4,
        0.6,
    )
    tungsten = report["rows"][-1]
    assert (tungsten["conformant_share"], tungsten["participating_share"]) == (None, None)
    assert report["status_list_date"] == "2025-06-01"
    assert any("2025-06-01" in rule for rule in report["rules"])
    assert any("not yet identified" in rule for rule in report["rules"])


def test_a_later_date_uses_the_later_status_list_and_answers(world: World) -> None:
    report = kpi(world, "--as-of", "2099-01-01")  # default campaign: the latest CMRT one
    # S6 answered (Tungsten CID900006, no status), Beta became conformant, S2's case was closed.
    assert table(report)["3TG"] == (5, 4, 3, 6, 3, 0, 3, 3, 0)
    assert report["status_list_date"] == "2025-09-01"


def test_declarations_read_back_from_the_store_are_kept(world: World) -> None:
    from models.report_declaration import ReportDeclaration

    before = world.session.query(ReportDeclaration).count()
    kpi(world, "--as-of", "2025-06-30")
    world.session.expire_all()
    assert world.session.query(ReportDeclaration).count() == before + 1  # S1's upload, read once


def test_xlsx_and_html_carry_the_same_numbers(world: World, tmp_path: Path) -> None:
    xlsx, html = tmp_path / "kpi.xlsx", tmp_path / "kpi.html"
    data_dir = str(world.store.parent)
    args = ["report", "kpi", "--data-dir", data_dir, "--as-of", "2025-06-30", "--xlsx", str(xlsx)]
    result = runner.invoke(app, [*args, "--html", str(html)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(xlsx)["KPI"]
    header = [c.value for c in ws[3]]
    first = dict(zip(header, [c.value for c in ws[4]], strict=True))
    assert (first["Minerals"], first["Suppliers in scope"], first["Response rate"]) == ("3TG", 5, 0.6)
    assert ws.cell(row=4, column=header.index("Conformant share") + 1).number_format == "0.0%"
    page = html.read_text(encoding="utf-8")
    assert "<td>60.0%</td>" in page and "<td>40.0%</td>" in page and "2025-06-01" in page


def test_terminal_table_names_the_snapshot(world: World) -> None:
    data_dir = str(world.store.parent)
    result = runner.invoke(app, ["report", "kpi", "--data-dir", data_dir, "--as-of", "2025-06-30"])
    assert result.exit_code == 0, result.output
    assert "60.0%" in result.stdout and "2025-06-01" in result.stdout


def test_unknown_campaign_is_a_clear_error(world: World) -> None:
    data_dir = str(world.store.parent)
    result = runner.invoke(app, ["report", "kpi", "--data-dir", data_dir, "--campaign", "nope"])
    assert result.exit_code == 2
    assert "cmrt-2025" in result.output


def test_cobalt_and_mica_campaign_is_its_own_group(world: World, tmp_path: Path) -> None:
    emrt = add_campaign(world.session, "emrt-2025", "EMRT", dt.date(2025, 5, 2))
    b = Builder(world.session, world.store, tmp_path)
    b.case(emrt, "E1", "fix-requested", dt.date(2025, 6, 1))
    b.case(emrt, "E2", "overdue")
    world.session.commit()
    rows = table(kpi(world, "--as-of", "2025-06-30"))  # default: the latest campaign of each template
    assert rows["3TG"] == (5, 3, 2, 5, 2, 1, 2, 3, 1)
    assert rows["Cobalt/mica"] == rows["Cobalt"] == rows["Mica"] == (2, 1, 0, 0, 0, 0, 0, 0, 0)


def test_demo_prints_the_campaign_table(world: World) -> None:
    console = Console(record=True, width=120)
    print_campaign_kpi(load_settings(data_dir=str(world.store.parent)), "cmrt-2025", console)
    text = console.export_text()
    assert "Responsible minerals KPIs as of" in text and "3TG" in text and "Tungsten" in text
