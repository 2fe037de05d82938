"""What every `minerals` command shares: the data dir option, settings, database, clean failures."""

from __future__ import annotations

import asyncio
import getpass
from collections.abc import Coroutine
from functools import lru_cache
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, prepare_schema, session_factory
from models.schema import SchemaNotReady
from models.settings import Settings, SettingsError, load_settings

T = TypeVar("T")
err = Console(stderr=True)
out = Console()

DATA_DIR_HELP = "Data dir of `minerals up` (settings.json, database); default .minerals or MINERALS_DATA_DIR."
DataDir = Annotated[str | None, typer.Option("--data-dir", help=DATA_DIR_HELP, show_default=False)]
By = Annotated[str, typer.Option("--by", help="Who acts (kept in the audit trail); default: your OS user.")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def acting(by: str = "") -> str:
    """Who acts, for the audit trail: `--by`, else the OS user, else "staff"."""
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "staff"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a clear error (no traceback) and exit; code 2 means a wrong command-line value."""
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def settings_for(data_dir: str | None) -> Settings:
    """The settings for this command, or a clear message naming the bad variable."""
    try:
        return load_settings(data_dir=data_dir)
    except SettingsError as exc:
        fail(str(exc), 2)


def database_error(exc: SQLAlchemyError) -> str:
    """A database error in one line: its kind and the driver's first line (no SQL, no traceback)."""
    return f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"


@lru_cache(maxsize=4)
def _sessions(url: str) -> sessionmaker[Session]:
    engine = make_engine(url)
    prepare_schema(engine)
    return session_factory(engine)


def sessions(settings: Settings) -> sessionmaker[Session]:
    """A session factory on the configured database, its tables created if missing."""
    try:
        return _sessions(settings.resolved_database_url())
    except SQLAlchemyError as exc:
        fail(f"cannot open the database: {database_error(exc)}")
    except SchemaNotReady as exc:
        fail(str(exc))


def run(coro: Coroutine[Any, Any, T], settings: Settings) -> T:
    """Run a coroutine that talks to Temporal; a dead server becomes a clear message, not a traceback."""
    try:
        return asyncio.run(coro)
    except RuntimeError as exc:
        if "connect" in str(exc).lower() or "transport" in str(exc).lower():
            coro.close()
            fail(
                f"cannot reach Temporal at {settings.temporal_address} ({str(exc).splitlines()[0]}); "
                "is `minerals up` running, or MINERALS_TEMPORAL_ADDRESS set?"
            )
        raise
