"""`minerals report kpi|smelters|rollup`: the annual KPI table, the smelter list, our own CMRT."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from cli.context import DataDir, fail, hint, out, sessions, settings_for
from cli.report_annual import annual
from cli.smelters import parse_day, risk_config
from models.settings import Settings
from mrt.model import Unreadable
from mrt.report import check_file, exit_code
from reports.kpi import KpiReport, kpi_report
from reports.kpi_export import COLUMNS, RATIOS, cells, kpi_html, percent, write_kpi_xlsx
from reports.rollup import CompanyProfile, ProfileError, rollup_filling, target_for, write_rollup
from reports.rollup_answers import RULES
from reports.scope import Scope, UnknownCampaign, find_campaigns, load_scope
from reports.smelter_book import write_smelter_book
from reports.smelters import consolidate
from risk import Registry, load_registry

app = typer.Typer(
    help="Reports: KPI table, consolidated smelter list, company CMRT roll-up.", no_args_is_help=True
)

AsOf = Annotated[
    str | None, typer.Option("--as-of", help="Report date (default today); RMI statuses as of that date.")
]


def _scope(
    session: Session, settings: Settings, refs: list[str], as_of: str | None
) -> tuple[Scope, Registry]:
    day = parse_day(as_of) or dt.date.today()
    try:
        campaigns = find_campaigns(session, refs)
    except UnknownCampaign as exc:
        fail(str(exc), 2)
    if not campaigns:
        fail(f"no campaign yet; start one with `{hint(settings, 'minerals campaign start')}`")
    scope = load_scope(session, campaigns, day, settings.resolved_file_store_dir())
    return scope, load_registry(session, day)


def print_kpi(report: KpiReport, console: Console) -> None:
    """The KPI table (one column per group and metal, as annual reports show it) and its rules."""
    table = Table(title=f"Responsible minerals KPIs as of {report.as_of:%Y-%m-%d}")
    table.add_column("Minerals")
    for row in report.rows:
        table.add_column(row.label, justify="right", style="bold" if row.metal is None else None)
    values = [cells(row) for row in report.rows]
    for i, (title, attr) in enumerate(COLUMNS[1:], start=1):
        shown = [percent(v[i]) if attr in RATIOS else str(v[i]) for v in values]  # type: ignore[arg-type]
        table.add_row(title, *shown)
    console.print(table)
    for rule in report.rules:
        console.print(f"- {rule}", markup=False, highlight=False)


def print_campaign_kpi(settings: Settings, campaign: str, console: Console | None = None) -> None:
    """Print one campaign's KPI table as of today (how `minerals demo` ends)."""
    with sessions(settings)() as session:
        scope, registry = _scope(session, settings, [campaign], None)
        report = kpi_report(session, scope, registry, risk_config(settings))
    print_kpi(report, console or out)


@app.command("kpi")
def kpi(
    campaign: Annotated[
        list[str] | None,
        typer.Option("--campaign", help="Campaign name or id (repeatable; default: latest per template)."),
    ] = None,
    as_of: AsOf = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write the table to this workbook.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the table to this HTML page.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Per mineral group and metal: response, complete declarations, smelters and RMI conformance."""
    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        scope, registry = _scope(session, settings, campaign or [], as_of)
        report = kpi_report(session, scope, registry, risk_config(settings))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if xlsx:
        write_kpi_xlsx(report, xlsx)
        out.print(f"KPI table written to {xlsx}")
    if html:
        html.write_text(kpi_html(report), encoding="utf-8")
        out.print(f"KPI page written to {html}")
    if not (xlsx or html):
        print_kpi(report, out)


@app.command("smelters")
def smelters(
    campaign: Annotated[str, typer.Option("--campaign", help="Campaign name or id.")],
    xlsx: Annotated[Path, typer.Option("--xlsx", help="Workbook to write.")],
    as_of: AsOf = None,
    data_dir: DataDir = None,
) -> None:
    """Every smelter reported in a campaign: metal, country, status, suppliers naming it, data gaps."""
    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        scope, registry = _scope(session, settings, [campaign], as_of)
    found = consolidate(scope.cases, registry, scope.as_of, risk_config(settings))
    write_smelter_book(found, scope, xlsx)
    out.print(f"{len(found.lines)} smelter(s) and {len(found.gaps)} data gap(s) written to {xlsx}")


PROFILE_HELP = (
    'Company profile (JSON): {"company": {"name", "contact_name", "contact_email", "contact_phone", '
    '"authorizer", "authorizer_email", ...}, "answers": {"A": "Yes", ...}, '
    '"comments": {"B": "<policy URL>"}}.'
)
ROLLUP_HELP = "\n\n".join(
    (
        "Our own declaration for customers, built from the suppliers' complete declarations, then checked "
        "like a supplier file (exit 1 when not complete).",
        PROFILE_HELP,
        *RULES,
    )
)


@app.command("rollup", help=ROLLUP_HELP)
def rollup(
    campaign: Annotated[str, typer.Option("--campaign", help="Campaign name or id.")],
    out_file: Annotated[Path, typer.Option("--out", help="Workbook to write (.xlsx).")],
    template: Annotated[
        Path | None,
        typer.Option("--template", exists=True, dir_okay=False, help="Official blank to fill in place."),
    ] = None,
    company: Annotated[
        Path | None,
        typer.Option("--company", help="Company profile JSON (default: company.json in the data dir)."),
    ] = None,
    as_of: AsOf = None,
    data_dir: DataDir = None,
) -> None:
    """Write the roll-up, then check it like a supplier file; exit 1 when it is not complete."""
    settings = settings_for(data_dir)
    try:
        profile = CompanyProfile.load(company or Path(settings.data_dir) / "company.json")
    except ProfileError as exc:
        fail(str(exc), 2)
    with sessions(settings)() as session:
        scope, registry = _scope(session, settings, [campaign], as_of)
    found = consolidate(scope.cases, registry, scope.as_of, risk_config(settings))
    try:
        target = target_for(scope.campaigns[0].template, template)
    except (ProfileError, Unreadable) as exc:
        fail(str(exc), 2)
    write_rollup(rollup_filling(scope, found, profile, target), target, out_file)
    result = check_file(out_file)
    out.print(f"Roll-up written to {out_file}: {len(found.lines)} smelter(s); check: {result.status}")
    for issue in result.issues:
        if issue.severity == "error":
            out.print(f"  {issue.sheet}!{issue.cell}: {issue.message}", markup=False, highlight=False)
    if result.status != "complete":
        where = company or Path(settings.data_dir) / "company.json"
        out.print(
            f"Company block and answers A-H come from {where} (see `minerals report rollup --help`).",
            markup=False,
        )
    raise typer.Exit(exit_code([result]))


app.command("annual")(annual)
