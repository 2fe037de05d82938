"""`minerals smelters`: import RMI smelter data into the registry, look names up, list imports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from cli.context import DataDir, acting, err, fail, hint, out, sessions, settings_for
from cli.engagement import contacts
from cli.outreach import outreach
from cli.tables import wrapping_table
from models.settings import Settings
from risk import (
    Registry,
    RejectedRows,
    RiskConfig,
    SourceError,
    candidates,
    import_file,
    import_history,
    load_registry,
    load_risk_config,
)

app = typer.Typer(
    help="Smelter registry: import RMI lists and look-ups, find facilities.", no_args_is_help=True
)
SHOWN_REJECTS = 50


def parse_day(text: str | None) -> dt.date | None:
    """A --as-of value as a date, or a clear command-line error."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of {text!r} is not a date; use YYYY-MM-DD", 2)


def risk_config(settings: Settings) -> RiskConfig:
    """The risk configuration: defaults, overridden by risk.json in the data dir."""
    try:
        return load_risk_config(settings.resolved_risk_config())
    except ValueError as exc:
        fail(str(exc), 2)


def _print_rejected(settings: Settings, name: str, rejected: list[dict[str, Any]]) -> None:
    for r in rejected[:SHOWN_REJECTS]:
        err.print(f"{name}: line {r['line']}: {r['reason']}", highlight=False, markup=False)
    if len(rejected) > SHOWN_REJECTS:
        more = len(rejected) - SHOWN_REJECTS
        err.print(
            f"... and {more} more (see `{hint(settings, 'minerals smelters history --json')}`)", markup=False
        )


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="XLSX, XLS or CSV")
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date the list is valid on (default today).")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Import nothing when any row is rejected.")] = False,
    refresh: Annotated[
        bool, typer.Option(help="After a status list, judge again the cases naming a changed facility.")
    ] = True,
    data_dir: DataDir = None,
) -> None:
    """Import a template's Smelter Look-up, an RMI facility list, or the CFSI v2->v3 id map."""
    settings = settings_for(data_dir)
    day = parse_day(as_of)
    with sessions(settings)() as session:
        try:
            result = import_file(session, file, day, risk_config(settings), strict=strict, actor=acting())
        except RejectedRows as exc:
            _print_rejected(settings, file.name, exc.rejected)
            fail(f"{file.name}: {exc}")
        except SourceError as exc:
            fail(f"{exc}; nothing was imported")
    r = result.record
    if result.duplicate:
        out.print(f"{file.name} was already imported for {r.as_of} (import {r.id}); nothing changed")
        return
    _print_rejected(settings, file.name, r.rejected)
    out.print(
        f"{file.name}: {r.kind} as of {r.as_of}, {r.rows_read} rows read: {r.facilities_added} facilities"
        f" added, {r.aliases_added} aliases or old ids, {r.statuses_added} statuses,"
        f" {len(r.rejected)} rejected",
        highlight=False,
    )
    if refresh:
        from cli.registry import start_after_import

        start_after_import(settings, r)


def _registry(settings: Settings, day: dt.date | None) -> Registry:
    with sessions(settings)() as session:
        registry = load_registry(session, day)
    if not registry.facilities:
        fail(
            "the smelter registry is empty; import a template or an RMI list with "
            f"`{hint(settings, 'minerals smelters import FILE')}`"
        )
    return registry


@app.command("lookup")
def lookup(
    text: Annotated[str, typer.Argument(help="A smelter name, alias, CID or old v2 id.")],
    metal: Annotated[str | None, typer.Option(help="Only this metal (Gold, Tin, ...).")] = None,
    country: Annotated[str | None, typer.Option(help="Rank facilities in this country first.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=50)] = 5,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Status date (default today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Show the registry facilities closest to a name, with scores and RMAP status."""
    settings = settings_for(data_dir)
    registry = _registry(settings, parse_day(as_of))
    cid = registry.resolve_id(text)
    if cid:
        f = registry.facilities[cid]
        found = [{"smelter_id": cid, "metal": f.metal, "name": f.name, "country": f.country, "score": 100.0}]
    else:
        found = [
            {
                "smelter_id": c.smelter_id,
                "metal": c.metal,
                "name": c.name,
                "country": c.country,
                "score": c.score,
            }
            for c in candidates(registry, text, metal, country, limit)
        ]
    for item in found:
        status = registry.status(str(item["smelter_id"]))
        item["rmap_status"] = status.status if status else None
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        out.print(f"no facility name is close to {text!r}", highlight=False)
        raise typer.Exit(1)
    table = wrapping_table("score", "id", "metal", "name", "country", "status")
    for item in found:
        table.add_row(
            f"{item['score']:.0f}",
            str(item["smelter_id"]),
            str(item["metal"]),
            Text(str(item["name"])),
            Text(str(item["country"] or "")),
            str(item["rmap_status"] or "unknown"),
        )
    out.print(table)


@app.command("history")
def history(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON, rejected rows included.")] = False,
    data_dir: DataDir = None,
) -> None:
    """List every registry import, newest first."""
    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        records = import_history(session)
    rows: list[dict[str, Any]] = [
        {
            "id": r.id,
            "file": r.file_name,
            "sha256": r.sha256,
            "kind": r.kind,
            "as_of": r.as_of.isoformat(),
            "imported_at": r.imported_at.isoformat(),
            "rows_read": r.rows_read,
            "facilities_added": r.facilities_added,
            "aliases_added": r.aliases_added,
            "statuses_added": r.statuses_added,
            "rejected": r.rejected,
        }
        for r in records
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = wrapping_table("id", "as of", "kind", "file", "rows", "facilities", "statuses", "rejected")
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["as_of"]),
            str(row["kind"]),
            Text(str(row["file"])),
            str(row["rows_read"]),
            str(row["facilities_added"]),
            str(row["statuses_added"]),
            str(len(row["rejected"])),
        )
    out.print(table if rows else "no imports yet")


app.command("outreach")(outreach)
app.add_typer(contacts, name="contacts")
