"""Entry point of the `minerals` command: each feature adds its own sub-commands here."""

from __future__ import annotations

import typer

from cli import suppliers

app = typer.Typer(
    help="Responsible Minerals Workflows: supplier surveys, template checks and smelter risk.",
    no_args_is_help=True,
    add_completion=False,
)

app.add_typer(suppliers.app, name="suppliers")


@app.callback()
def main() -> None:
    """Responsible-minerals due diligence as durable Temporal workflows."""


if __name__ == "__main__":
    app()
