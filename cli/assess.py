"""`minerals assess FILE...`: check templates, then assess their smelters and answers for risk."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.check import print_report
from cli.context import DataDir, has_stack, sessions, settings_for
from cli.smelters import parse_day, risk_config
from cli.tables import WRAP
from mrt.report import FileResult, check_file, exit_code, to_json
from risk import Assessment, Registry, RiskConfig, assess, load_registry

RISK_STYLES = {"high": "bold red", "medium": "bold yellow", "low": "yellow", "none": "bold green"}


def assess_result(
    result: FileResult, stored: Registry, config: RiskConfig, day: dt.date | None
) -> Assessment | None:
    """The assessment of one checked file; without a stored registry, the file's own look-up seeds one."""
    decl = result.declaration
    if decl is None:
        return None
    registry = (
        stored.with_lookup(decl.lookup) if stored.facilities else Registry.from_lookup(decl.lookup, day)
    )
    return assess(decl, registry, day, config)


def assessed_json(result: FileResult, assessment: Assessment | None) -> dict[str, Any]:
    """The check JSON of a file plus `risk`, per-smelter match fields and `findings`."""
    data = to_json(result)
    if assessment is None:
        data.update(risk=None, as_of=None, registry=None, statuses_as_of=None, findings=[])
        return data
    by_row = {s.row: s for s in assessment.smelters}
    for smelter in data["smelters"]:
        s = by_row.get(smelter["row"])
        smelter.update(
            matched_id=s.matched_id if s else None,
            match=s.match if s else "none",
            score=s.score if s else 0.0,
            review=s.review if s else False,
            rmap_status=s.rmap_status if s else None,
        )
    data.update(
        risk=assessment.risk,
        as_of=assessment.as_of.isoformat(),
        registry=assessment.registry_source,
        statuses_as_of=assessment.statuses_as_of.isoformat() if assessment.statuses_as_of else None,
        findings=[f.to_dict() for f in assessment.findings],
    )
    return data


def print_assessment(assessment: Assessment, console: Console) -> None:
    """Risk, how the smelters resolved, and the findings as a table."""
    methods = {
        m: sum(1 for s in assessment.smelters if s.match == m) for m in ("id", "alias", "name", "none")
    }
    review = sum(1 for s in assessment.smelters if s.review)
    resolved = ", ".join(f"{n} by {m}" for m, n in methods.items() if n) or "no smelters listed"
    console.print(
        Text.assemble(
            ("risk: ", "bold"),
            (assessment.risk, RISK_STYLES[assessment.risk]),
            f"  (registry: {assessment.registry_source}, as of {assessment.as_of}, RMI statuses of "
            f"{assessment.statuses_as_of or 'unknown date'}; smelters: {resolved}"
            + (f", {review} to review" if review else "")
            + ")",
        )
    )
    if not assessment.findings:
        return
    table = Table(expand=True)
    for column in ("severity", "code", "metal", "smelter", "cell"):
        table.add_column(column, no_wrap=True)
    table.add_column("finding", ratio=1, overflow=WRAP)
    for f in assessment.findings:
        table.add_row(
            Text(f.severity, style=RISK_STYLES[f.severity]),
            f.code,
            f.metal or "",
            f.smelter_id or "",
            f"{f.sheet}!{f.cell}" if f.cell else "",
            Text(f.message),
        )
    console.print(table)


def assess_command(
    files: Annotated[list[Path], typer.Argument(help="Template files (.xlsx, .xls) to assess.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array, one object per file.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="RMAP status date (default today).")] = None,
    language: Annotated[str | None, typer.Option(help="Language of the check messages (en, ja, zh).")] = None,
    data_dir: DataDir = None,
) -> None:
    """Check and assess templates; exit 0 when all are complete, 1 if any is incomplete, 2 if unreadable."""
    settings = settings_for(data_dir)
    day = parse_day(as_of)
    config = risk_config(settings)
    stored = Registry()  # no stack here: each file's own Smelter Look-up, statuses unknown
    if has_stack(settings):
        with sessions(settings)() as session:
            stored = load_registry(session, day)
    results = [check_file(path, language) for path in files]
    assessments = [assess_result(r, stored, config, day) for r in results]
    if as_json:
        payload = [assessed_json(r, a) for r, a in zip(results, assessments, strict=True)]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        console = Console(highlight=False)
        for result, assessment in zip(results, assessments, strict=True):
            print_report([result], console)
            if assessment is not None:
                print_assessment(assessment, console)
            console.print()
    raise typer.Exit(exit_code(results))
