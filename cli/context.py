"""What every `minerals` command shares: the data dir option, settings, database, clean failures.

Light on purpose (every command imports it): SQLAlchemy and the models load when a database opens.
"""

from __future__ import annotations

import getpass
from collections.abc import Coroutine
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console

from cli.stack_dir import DATABASE_FILE, POINTER, DataDirChoice, choose, data_dir_flag, record
from models.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
err = Console(stderr=True)
out = Console()

DATA_DIR_HELP = (
    "Data dir of `minerals up` (settings.json, database); default MINERALS_DATA_DIR, else the dir "
    f"named by {POINTER} here (written by `minerals up`), else .minerals."
)
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
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)  # paths stay whole
    raise typer.Exit(code)


# How each data dir of this process was found (settings_for records it, require_stack reads it).
_chosen: dict[str, DataDirChoice] = {}


def settings_for(data_dir: str | None) -> Settings:
    """The settings for this command, or a clear message naming the bad variable."""
    choice = choose(data_dir)
    try:
        settings = load_settings(data_dir=str(choice.path))
    except SettingsError as exc:
        fail(str(exc), 2)
    _chosen[settings.data_dir] = choice
    return settings


def has_stack(settings: Settings) -> bool:
    """Whether the settings name a database that exists or was asked for (a server, an explicit dir)."""
    choice = _chosen.get(settings.data_dir)
    if choice is None or choice.explicit or settings.database_url:
        return True
    return (Path(settings.data_dir) / DATABASE_FILE).is_file()


def require_stack(settings: Settings) -> None:
    """Exit 2, saying where it looked, rather than create an empty database in a dir nobody named."""
    if has_stack(settings):
        return
    choice = _chosen[settings.data_dir]
    how = "point at a running stack with `--data-dir DIR` (or MINERALS_DATA_DIR=DIR)"
    if choice.pointer is not None:
        fail(
            f"no stack found: {choice.pointer} points at {choice.path}, which holds no database; start it "
            f"with `minerals up` here, or {how}",
            2,
        )
    fail(
        f"no stack found: {choice.path} holds no database and no {POINTER} in {choice.path.parent} "
        f"points at one; start one with `minerals up` here, or {how}",
        2,
    )


def remember_stack(settings: Settings) -> Path | None:
    """After `minerals up --data-dir DIR`: point commands run here at DIR (the pointer file, or None)."""
    choice = _chosen.get(settings.data_dir)
    if choice is None or choice.origin != "flag":  # MINERALS_DATA_DIR finds it again by itself
        return None
    try:
        return record(choice.path)
    except OSError as exc:
        err.print(
            f"cannot record the stack in {POINTER} here ({exc.strerror}); use --data-dir", highlight=False
        )
        return None


def say(line: str) -> None:
    """Print a line as it is (no markup) and whole, so a path or a command in it copies in one piece."""
    out.print(line, markup=False, highlight=False, soft_wrap=True)


def hint(settings: Settings, command: str) -> str:
    """`command` with the flags it needs to reach this stack when run as shown, from here."""
    return command + data_dir_flag(settings.data_dir)


def database_error(exc: SQLAlchemyError) -> str:
    """A database error in one line: its kind and the driver's first line (no SQL, no traceback)."""
    return f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"


@lru_cache(maxsize=4)
def _sessions(url: str) -> sessionmaker[Session]:
    from models.db import make_engine, prepare_schema, session_factory

    engine = make_engine(url)
    prepare_schema(engine)
    return session_factory(engine)


def sessions(settings: Settings) -> sessionmaker[Session]:
    """A session factory on the configured database, its tables created if missing."""
    from sqlalchemy.exc import SQLAlchemyError

    from models.schema import SchemaNotReady

    require_stack(settings)
    try:
        return _sessions(settings.resolved_database_url())
    except SQLAlchemyError as exc:
        fail(f"cannot open the database: {database_error(exc)}")
    except SchemaNotReady as exc:
        fail(str(exc))


def run(coro: Coroutine[Any, Any, T], settings: Settings) -> T:
    """Run a coroutine that talks to Temporal; a dead server becomes a clear message, not a traceback."""
    import asyncio

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
