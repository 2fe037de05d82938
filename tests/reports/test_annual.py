"""The annual report: published rows, one column per fiscal year and group, read back from HTML and XLSX."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from campaign_kit import Builder, World, add_campaign, filling
from emrt_kit import add_emrt_campaign
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from models.campaign import Campaign
from models.scope_plan import PlannedSupplier, ScopePlan
from models.supplier import Supplier
from models.survey import Survey
from reports.annual_export import PUBLISHED

runner = CliRunner()
STATEMENT = "All parts and materials purchased during FY2023 containing tin or gold (2 of 9 parts)."


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MINERALS_FILE_STORE_DIR", "MINERALS_DATA_DIR", "MINERALS_FISCAL_YEAR_START_MONTH"):
        monkeypatch.delenv(name, raising=False)


def add_planned_year(world: World, tmp: Path) -> None:
    """cmrt-2024 from a plan: P1 in scope for tin only (its gold refiner is not counted), P2 for gold."""
    campaign = add_campaign(world.session, "cmrt-2024", "CMRT", dt.date(2024, 5, 1), ["Tin", "Gold"])
    plan = ScopePlan(
        fiscal_year=2024,
        template="CMRT",
        minerals=["Tin", "Gold"],
        coverage={"statement": STATEMENT},
        campaign_id=campaign.id,
    )
    world.session.add(plan)
    world.session.flush()
    world.session.add_all(
        [
            PlannedSupplier(plan_id=plan.id, supplier_key="P1", minerals=["Tin"], parts=["A"], spend=1.0),
            PlannedSupplier(plan_id=plan.id, supplier_key="P2", minerals=["Gold"], parts=["B"], spend=1.0),
        ]
    )
    b = Builder(world.session, world.store, tmp)
    p1 = b.case(campaign, "P1", "accepted", dt.date(2024, 5, 20))
    rows = [{"id_input": "CID900003"}, {"id_input": "CID900004"}, {"id_input": "CID900001"}]
    b.upload(p1, filling(rows), dt.date(2024, 5, 20), "complete", record=True)  # type: ignore[arg-type]
    b.case(campaign, "P2", "overdue")
    world.session.commit()


def annual(world: World, *extra: str) -> tuple[int, str]:
    args = ["report", "annual", "--data-dir", str(world.store.parent), "--as-of", "2025-06-30"]
    result = runner.invoke(app, [*args, "--fiscal-year", "2024", "--fiscal-year", "FY2025", *extra])
    return result.exit_code, result.output


def test_two_fiscal_years_side_by_side_with_hand_counted_numbers(world: World, tmp_path: Path) -> None:
    add_planned_year(world, tmp_path)
    add_emrt_campaign(world, Builder(world.session, world.store, tmp_path))
    code, output = annual(world, "--json")
    assert code == 0, output
    columns = {(c["fiscal_year"], c["group"]): c for c in json.loads(output)["columns"]}
    assert list(columns) == [(2024, "3TG"), (2025, "3TG"), (2025, "Cobalt/mica")]
    fy24 = columns[(2024, "3TG")]
    # P1 answered, P2 did not; P1's tin smelters: Gamma conformant, Delta suspended; its gold one not counted.
    assert (fy24["suppliers_in_scope"], fy24["responded"], fy24["smelters"], fy24["conformant"]) == (
        2,
        1,
        2,
        1,
    )
    assert (
        fy24["response_rate"] == 0.5
        and fy24["conformant_share"] == 0.5
        and fy24["participating_share"] == 0.5
    )
    assert fy24["coverage"] == STATEMENT
    fy25 = columns[
        (2025, "3TG")
    ]  # the KPI test's campaign: 3 of 5 answered; 2 of 5 smelters conformant, 1 active
    assert (fy25["response_rate"], fy25["conformant_share"], fy25["participating_share"]) == (0.6, 0.4, 0.6)
    assert "no purchase-based plan" in fy25["coverage"]
    cobalt = columns[(2025, "Cobalt/mica")]
    assert (cobalt["suppliers_in_scope"], cobalt["response_rate"], cobalt["smelters"]) == (2, 1.0, 3)


def test_html_and_xlsx_have_the_published_shape(world: World, tmp_path: Path) -> None:
    add_planned_year(world, tmp_path)
    page, book = tmp_path / "annual.html", tmp_path / "annual.xlsx"
    code, output = annual(world, "--html", str(page), "--xlsx", str(book))
    assert code == 0, output
    ws = openpyxl.load_workbook(book)["Annual report"]
    assert [ws.cell(row=3, column=c).value for c in (2, 3)] == ["FY2024", "FY2025"]
    assert [ws.cell(row=4, column=c).value for c in (2, 3)] == ["3TG", "3TG"]
    labels = [ws.cell(row=r, column=1).value for r in range(5, 5 + len(PUBLISHED))]
    assert labels == [
        "Assessment coverage",
        "Response",
        "% of smelters/refiners RMI conformant",
        "% of smelters/refiners RMI conformant or active",
        "(as of)",
    ]
    assert ws["B5"].value == STATEMENT and ws["B6"].value == 0.5 and ws["C7"].value == 0.4
    assert ws["B6"].number_format == "0.0%" and ws["C9"].value == "2025-06-30"
    text = page.read_text(encoding="utf-8")
    assert '<th colspan="1" scope="colgroup">FY2024</th>' in text
    assert '<th scope="row">Response</th><td>50.0%</td><td>60.0%</td>' in text
    assert '<th scope="row">% of smelters/refiners RMI conformant</th><td>50.0%</td><td>40.0%</td>' in text


def test_a_year_without_campaigns_is_a_clear_error(world: World) -> None:
    result = runner.invoke(
        app, ["report", "annual", "--data-dir", str(world.store.parent), "--fiscal-year", "2019"]
    )
    assert result.exit_code == 1 and "no campaign for FY2019" in result.output


def test_a_planned_case_shows_the_minerals_its_supplier_is_asked_about(world: World, tmp_path: Path) -> None:
    add_planned_year(world, tmp_path)
    add_emrt_campaign(world, Builder(world.session, world.store, tmp_path))  # a campaign without a plan
    rows = world.session.execute(
        select(Survey.id, Supplier.supplier_id, Campaign.name)
        .join(Supplier, Supplier.id == Survey.supplier_id)
        .join(Campaign, Campaign.id == Survey.campaign_id)
    ).all()
    shown = {}
    for case, supplier, campaign in rows:
        args = ["cases", "show", str(case), "--data-dir", str(world.store.parent)]
        as_json = runner.invoke(app, [*args, "--json"])
        assert as_json.exit_code == 0, as_json.output
        shown[(campaign, supplier)] = json.loads(as_json.output)["planned_minerals"]
        if supplier == "P1" and campaign == "cmrt-2024":
            assert "Asked about Tin (the campaign's plan)" in runner.invoke(app, args).output
    assert shown[("cmrt-2024", "P1")] == ["Tin"] and shown[("cmrt-2024", "P2")] == ["Gold"]
    assert all(planned == [] for (campaign, _), planned in shown.items() if campaign != "cmrt-2024")
