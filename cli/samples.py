"""`minerals samples DIR`: write a supplier list and filled templates to follow the README with."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column

from cli.context import Json, fail, out
from cli.tables import wrapping_table


def samples(
    folder: Annotated[Path, typer.Argument(help="Where to write them (created if missing).")] = Path(
        "samples"
    ),
    as_json: Json = False,
) -> None:
    """Write a supplier list and filled templates to try `minerals` with."""
    from cli.sample_files import SUPPLIERS_FILE, write_samples

    try:
        written = write_samples(Path(folder))
    except OSError as exc:
        fail(f"cannot write the samples into {folder}: {exc.strerror or exc}")
    if as_json:
        rows = [
            {
                "file": str(s.file),
                "template": s.template,
                "kind": s.kind,
                "supplier_id": s.supplier.supplier_id,
                "language": s.supplier.language,
                "status": s.status,
                "note": s.note,
            }
            for s in written
        ]
        typer.echo(json.dumps({"suppliers": str(Path(folder, SUPPLIERS_FILE)), "files": rows}, indent=2))
        return
    table = wrapping_table("supplier", "language", "`check` says", "what it shows")
    table.columns.insert(0, Column("file", no_wrap=True))
    for s in written:
        table.add_row(s.file.name, s.supplier.supplier_id, s.supplier.language, s.status, s.note)
    out.print(f"Wrote {Path(folder, SUPPLIERS_FILE)} (4 fictitious suppliers) and {len(written)} templates:")
    out.print(table)
    where = shlex.quote(str(folder))
    out.print(f"Try: minerals check {where}/cmrt-incomplete.xlsx   (then see the README's Use section)")
