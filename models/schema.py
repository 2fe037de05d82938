"""The database schema's version: Alembic migrations from an empty database or one made before them."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

import models.tables  # noqa: F401  (registers every table on Base.metadata)
from models.base import Base
from models.case_indexes import create_missing_indexes

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"  # the schema of release 0.1.0, which `create_all` made before there were migrations
_LOCK_KEY = 0x6D696E6572616C73  # PostgreSQL advisory lock id: "minerals"


class SchemaNotReady(RuntimeError):
    """The database is not at the revision this release needs; the message says what to run."""


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def head() -> str:
    """The newest revision this release knows."""
    return str(ScriptDirectory.from_config(_config()).get_current_head())


def current(engine: Engine) -> str | None:
    """The database's revision; None for an empty database or one made before migrations."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _is_legacy(conn: Connection) -> bool:
    """Tables of the product but no revision: made by `create_all` before there were migrations."""
    names = set(inspect(conn).get_table_names())
    return "alembic_version" not in names and bool(names & set(Base.metadata.tables))


def _adopt(conn: Connection) -> None:
    """Bring a release-0.1.0 database to the baseline exactly, then record it as the baseline."""
    # 0.1.0 made tables on first use and its console added the case-list indexes later, so a database
    # may lack some of either: create what is missing (the audit chain hook also adds its triggers).
    Base.metadata.create_all(conn)
    create_missing_indexes(conn)
    command.stamp(_config(conn), BASELINE)


@contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    """A transaction holding the migration lock, so two processes never migrate at once."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        with Path(f"{database}.migrate-lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            with engine.begin() as conn:
                yield conn
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        yield conn


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate the database to `revision` (default the newest); returns (revision before, revision after)."""
    with _exclusive(engine) as conn:
        before = MigrationContext.configure(conn).get_current_revision()
        if before is None and _is_legacy(conn):
            _adopt(conn)
        command.upgrade(_config(conn), revision)
        after = MigrationContext.configure(conn).get_current_revision()
    return before, after


def require_current(engine: Engine) -> None:
    """Refuse to run on a database that is not at this release's revision."""
    found, wanted = current(engine), head()
    if found == wanted:
        return
    where = engine.url.render_as_string(hide_password=True)
    state = f"is at revision {found}" if found else "has no schema revision (empty or made by release 0.1.0)"
    raise SchemaNotReady(
        f"the database {where} {state}; this release needs {wanted}: run `minerals db upgrade`"
    )
