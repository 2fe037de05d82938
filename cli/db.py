"""`minerals db`: the database schema's revision, and its migrations (run once per release)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from alembic.util import CommandError
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError

from cli.context import DataDir, Json, database_error, fail, hint, out, require_stack, settings_for
from models.db import make_engine
from models.schema import current, head, upgrade

app = typer.Typer(help="The database schema: its revision and migrations.", no_args_is_help=True)
NEEDS_UPGRADE = 1  # exit code of `db current`: the database answers, its schema is not this release's
UNREACHABLE = 3  # exit code of `db current`: the database cannot be opened or does not answer


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
    require_stack(settings)
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
    """Show the database's revision and whether it is the one this release needs.

    Exits 0 when it is, 1 when it needs `minerals db upgrade`, 3 when the database cannot be reached,
    2 when no data dir was named and none is found here.
    """
    settings = settings_for(data_dir)
    require_stack(settings)
    url = settings.resolved_database_url()
    try:
        found = current(make_engine(url))
    except SQLAlchemyError as exc:
        fail(f"cannot open {_where(url)}: {database_error(exc)}", UNREACHABLE)
    wanted = head()
    if as_json:
        typer.echo(json.dumps({"current": found, "head": wanted}))
    elif found == wanted:
        out.print(f"{_where(url)} is at revision {found}, the newest")
    else:
        state = f"is at revision {found}" if found else "has no schema revision"
        upgrade_hint = hint(settings, "minerals db upgrade")
        out.print(f"{_where(url)} {state}; this release needs {wanted}: run `{upgrade_hint}`", markup=False)
    if found != wanted:
        raise typer.Exit(NEEDS_UPGRADE)
