"""Engine and session factories for the configured database (SQLite by default, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from models.schema import current, head, require_current, upgrade


def make_engine(url: str, pool_size: int = 5) -> Engine:
    """An engine for `url` keeping `pool_size` connections; SQLite gets a busy timeout and foreign keys on."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, pool_size=pool_size)

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # type: ignore[no-untyped-def]
            cur = conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size)


def create_schema(engine: Engine) -> None:
    """Bring the schema to this release's revision (Alembic migrations; adopts a 0.1.0 database)."""
    upgrade(engine)


def prepare_schema(engine: Engine) -> None:
    """Make the database ready at start-up: SQLite migrates itself, a server database must be at the
    newest revision already (`minerals db upgrade`, run once per release, not by every replica)."""
    if engine.dialect.name != "sqlite":
        require_current(engine)
    elif current(engine) != head():  # read-only when current: no migration lock for every command
        upgrade(engine)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
