"""`minerals check FILE...`: check supplier templates and say what to fix, as a report or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.tables import WRAP
from mrt.report import FileResult, check_file, exit_code, to_json

if TYPE_CHECKING:  # rich loads only for the report: `check --json` goes without it
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

VERDICTS = {
    "complete": ("complete", "bold green"),
    "incomplete": ("incomplete: please fix the errors below", "bold yellow"),
    "unreadable": ("unreadable", "bold red"),
}


def _describe(result: FileResult) -> Text:
    from rich.text import Text

    label, style = VERDICTS[result.status]
    line = Text.assemble((result.file, "bold"), "  ", (label, style))
    d = result.declaration
    if d is not None:
        errors = sum(1 for i in result.issues if i.severity == "error")
        warnings = len(result.issues) - errors
        counts = f"{errors} error(s), {warnings} warning(s)"
        line.append(f"\n{d.family} {d.version}, language {d.language}; {counts}")
    return line


def _table(result: FileResult) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, expand=True)
    table.add_column("", width=7, no_wrap=True)
    table.add_column("sheet", no_wrap=True)
    table.add_column("cell", no_wrap=True)
    table.add_column("what to fix", ratio=1, overflow=WRAP)  # CJK folds by display width, never cut
    for issue in result.issues:
        style = "red" if issue.severity == "error" else "yellow"
        table.add_row(
            Text(issue.severity, style=style),
            Text(issue.sheet or ""),
            Text(issue.cell or ""),
            Text(issue.message),  # Text keeps supplier-typed brackets from being read as markup
        )
    return table


def print_report(results: list[FileResult], console: Console) -> None:
    """One block per file: verdict, template, version, language, then the issues as a table."""
    for result in results:
        console.print(_describe(result))
        if result.issues:
            console.print(_table(result))
        console.print()
    counts = {s: sum(1 for r in results if r.status == s) for s in VERDICTS}
    console.print(", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no files")


def check_command(
    # plain text, not Path: typer would build a pydantic adapter per path; check_file reports a missing one
    files: Annotated[
        list[str], typer.Argument(help="Template files (.xlsx, .xls) to check.", metavar="FILE")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array, one object per file.")] = False,
    language: Annotated[
        str | None, typer.Option(help="Language of the messages (en, ja, zh); default: each file's own.")
    ] = None,
) -> None:
    """Check supplier templates; exit 0 when all are complete, 1 when any is incomplete, 2 when unreadable."""
    results = [check_file(Path(path), language) for path in files]
    if as_json:
        typer.echo(json.dumps([to_json(r) for r in results], ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        print_report(results, Console(highlight=False))
    raise typer.Exit(exit_code(results))
