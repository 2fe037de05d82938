"""`minerals db`: the database schema's revision, and its migrations (run once per release)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from alembic.util import CommandError
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from cli.context import DataDir, Json, database_error, fail, out, settings_for
from models.db import make_engine
from models.schema import current, head, upgrade

app = typer.Typer(help="The database schema: its revision and migrations.", no_args_is_help=True)


def _where(url: str) -> str:
    """The database URL with its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


@app.command("upgrade")
def upgrade_command(
    revision: Annotated[str, typer.Argument(help="Target revision; default the newest.")] = "head",
    data_dir: DataDir = None,
) -> None:
    """Migrate the database to this release's schema (an empty one, or one made by an older release)."""
    settings = settings_for(data_dir)
    url = settings.resolved_database_url()
    try:
        before, after = upgrade(make_engine(url), revision)
    except SQLAlchemyError as exc:
        fail(f"cannot migrate {_where(url)}: {database_error(exc)}")
    except CommandError as exc:  # e.g. a revision this release does not know
        fail(f"cannot migrate {_where(url)}: {exc}", 2)
    if before == after:
        out.print(f"{_where(url)} is already at revision {after}")
    else:
        out.print(f"{_where(url)} migrated from {before or 'nothing'} to revision {after}")


@app.command("current")
def current_command(data_dir: DataDir = None, as_json: Json = False) -> None:
    """Show the database's revision and whether it is the one this release needs (exit 1 if not)."""
    settings = settings_for(data_dir)
    url = settings.resolved_database_url()
    try:
        found = current(make_engine(url))
    except SQLAlchemyError as exc:
        fail(f"cannot open {_where(url)}: {database_error(exc)}")
    wanted = head()
    if as_json:
        typer.echo(json.dumps({"current": found, "head": wanted}))
    elif found == wanted:
        out.print(f"{_where(url)} is at revision {found}, the newest")
    else:
        state = f"is at revision {found}" if found else "has no schema revision"
        out.print(f"{_where(url)} {state}; this release needs {wanted}: run `minerals db upgrade`")
    if found != wanted:
        raise typer.Exit(1)
