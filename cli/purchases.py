"""`minerals purchases import|map`: what was bought from whom, and which minerals each commodity holds."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer

from cli.context import By, DataDir, Json, acting, err, fail, out, sessions, settings_for

app = typer.Typer(
    help="Purchases: import what was bought; the commodity-to-minerals map.", no_args_is_help=True
)

InFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or XLSX")]


def _bad_lines(name: str, errors: list[str]) -> None:
    for error in errors[:200]:
        err.print(f"{name}: {error}", highlight=False, markup=False)
    if len(errors) > 200:
        err.print(f"... and {len(errors) - 200} more")
    fail(f"{len(errors)} problem(s) in {name}; nothing was imported")


@app.command("import")
def import_(
    file: InFile,
    fiscal_year: Annotated[
        str | None, typer.Option("--fiscal-year", help="FY of lines without a date (2025 or FY2025).")
    ] = None,
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Import purchase lines (supplier id, part number, description, commodity, quantity or spend, date
    or fiscal year; columns found by header); nothing is imported when any line is bad."""
    from reports.fiscal import parse_fiscal_year
    from reports.purchase_import import AlreadyImported, read_purchases, store_purchases
    from reports.table_file import TableFileError

    settings = settings_for(data_dir)
    try:
        year = parse_fiscal_year(fiscal_year) if fiscal_year else None
    except ValueError as exc:
        fail(str(exc), 2)
    data = file.read_bytes()
    try:
        result = read_purchases(file.name, data, year, settings.fiscal_year_start_month)
    except TableFileError as exc:
        fail(str(exc))
    if result.errors:
        _bad_lines(file.name, result.errors)
    with sessions(settings)() as session:
        try:
            batch = store_purchases(session, file.name, data, result.rows, acting(by))
        except AlreadyImported as exc:
            fail(str(exc))
        session.commit()
    years = sorted({r.fiscal_year for r in result.rows})
    suppliers = len({r.supplier_key for r in result.rows})
    if as_json:
        shown = {"import": batch.id, "rows": len(result.rows), "suppliers": suppliers, "fiscal_years": years}
        typer.echo(json.dumps(shown))
        return
    fys = ", ".join(f"FY{y}" for y in years)
    out.print(f"{len(result.rows)} purchase line(s) from {suppliers} supplier(s) imported ({fys}).")


@app.command("map")
def map_(
    file: Annotated[
        Path | None,
        typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX: commodity, minerals (';' between)."),
    ] = None,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write the map in use to this CSV, to edit and import.")
    ] = None,
    by: By = "",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Show the commodity-to-minerals map (the default electronics one until staff import theirs), export
    it to edit, or replace it with FILE."""
    from reports.commodity_map import load_map, parse_minerals, replace_map
    from reports.table_file import TableFileError, header_key, read_records

    settings = settings_for(data_dir)
    entries: list[tuple[str, list[str]]] = []
    if file is not None:
        try:
            records = [
                (n, c) for n, c in read_records(file.name, file.read_bytes()) if any(x.strip() for x in c)
            ]
        except TableFileError as exc:
            fail(str(exc))
        errors = []
        head = [header_key(c) for c in records[0][1]] if records else []
        if "commodity" not in head or "minerals" not in head:
            fail(f"{file.name}: the first row must name the columns commodity and minerals")
        ci, mi = head.index("commodity"), head.index("minerals")
        for line, cells in records[1:]:
            commodity = cells[ci].strip() if ci < len(cells) else ""
            minerals, unknown = parse_minerals(cells[mi] if mi < len(cells) else "")
            if not commodity:
                errors.append(f"line {line}: commodity is empty")
            elif unknown:
                errors.append(
                    f"line {line}: {', '.join(map(repr, unknown))} is no mineral a template surveys"
                )
            else:
                entries.append((commodity, minerals))
        if errors:
            _bad_lines(file.name, errors)
    with sessions(settings)() as session:
        if file is not None:
            count = replace_map(session, entries, acting(by))
            session.commit()
            out.print(f"Commodity map replaced: {count} entr{'y' if count == 1 else 'ies'}.")
        current = load_map(session)
    if export is not None:
        with export.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["commodity", "minerals"])
            writer.writerows([k, "; ".join(v)] for k, v in sorted(current.entries.items()))
        out.print(f"Map written to {export}")
    if as_json:
        typer.echo(
            json.dumps({"staff": current.staff, "map": {k: list(v) for k, v in current.entries.items()}})
        )
    elif file is None and export is None:
        source = "staff's map" if current.staff else "the default electronics map (no map imported yet)"
        out.print(f"Commodity map in use: {source}")
        for key, listed in sorted(current.entries.items()):
            out.print(f"  {key} -> {', '.join(listed)}", markup=False, highlight=False)
