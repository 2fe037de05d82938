"""`minerals suppliers`: import the supplier list the campaigns are sent to; correct a contact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from cases.contact import ContactError, tell_workflows, update_contact
from cases.supplier_list import SupplierRow, read_supplier_file, upsert_suppliers
from cli.context import By, DataDir, Json, acting, err, fail, out, run, sessions, settings_for
from models.supplier import Supplier
from worker.client import connect

app = typer.Typer(help="Suppliers: import, list, correct a contact.", no_args_is_help=True)


def load_rows(file: Path) -> list[SupplierRow]:
    """Read a supplier list or exit listing every bad line (nothing is imported then)."""
    result = read_supplier_file(file)
    if not result.ok:
        for error in result.errors[:200]:
            err.print(f"{file.name}: {error}", highlight=False, markup=False)
        if len(result.errors) > 200:
            err.print(f"... and {len(result.errors) - 200} more")
        fail(f"{len(result.errors)} problem(s) in {file.name}; nothing was imported")
    return result.rows


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="CSV or XLSX")],
    data_dir: DataDir = None,
) -> None:
    """Import or update suppliers by supplier_id; nothing is imported when any row is bad."""
    settings = settings_for(data_dir)
    rows = load_rows(file)
    created, updated = upsert_suppliers(sessions(settings), rows, actor=acting())
    unchanged = len(rows) - created - updated
    out.print(f"{len(rows)} suppliers read: {created} created, {updated} updated, {unchanged} unchanged")


@app.command("list")
def list_(as_json: Json = False, data_dir: DataDir = None) -> None:
    """List the imported suppliers."""
    settings = settings_for(data_dir)
    with sessions(settings)() as session:
        found = list(session.scalars(select(Supplier).order_by(Supplier.supplier_id)))
    if as_json:
        fields = ("supplier_id", "name", "email", "contact_name", "language", "owner_email")
        typer.echo(
            json.dumps([{f: getattr(s, f) for f in fields} for s in found], indent=2, ensure_ascii=False)
        )
        return
    for s in found:
        out.print(f"{s.supplier_id}\t{s.name}\t{s.email}\t{s.language}", highlight=False, markup=False)
    out.print(f"{len(found)} supplier(s)")


@app.command()
def update(
    supplier_id: Annotated[str, typer.Argument(help="The supplier's id (see `minerals suppliers list`).")],
    email: Annotated[str | None, typer.Option("--email", help="The corrected email address.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="The company name.")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="The contact person's name.")] = None,
    by: By = "",
    data_dir: DataDir = None,
) -> None:
    """Correct a supplier's contact; with --email, its open cases send a refused email again to it."""
    settings = settings_for(data_dir)
    actor = acting(by)
    try:
        change = update_contact(
            sessions(settings), supplier_id, actor, email=email, name=name, contact=contact
        )
    except ContactError as exc:
        fail(str(exc), 2)
    for key, (old, new) in change.changed.items():
        out.print(f"Supplier {change.supplier_id}: {key} {old} -> {new}", markup=False, highlight=False)
    if not change.changed:
        out.print(f"Supplier {change.supplier_id}: already so, nothing changed", markup=False)
    if not change.workflows:
        return

    async def tell() -> tuple[list[str], list[str]]:
        return await tell_workflows(await connect(settings), change, actor)

    told, problems = run(tell(), settings)
    out.print(f"{len(told)} open case(s) told of the new address: {', '.join(told) or '-'}", markup=False)
    if problems:
        for problem in problems:
            err.print(problem, markup=False, highlight=False)
        fail("the change is saved; run the same command again to tell the cases listed above")
