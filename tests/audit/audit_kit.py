"""Audit test kit: a database per test, SQLite in a temp dir or a fresh PostgreSQL schema when configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Executable
from typer.testing import CliRunner, Result

from cli.main import app
from models.audit import AuditEvent
from models.db import create_schema, make_engine, session_factory

PG = os.environ.get("MINERALS_TEST_DATABASE_URL")


@dataclass
class AuditDb:
    """One empty database with the schema, its URL, and the `minerals` command pointed at it."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    data_dir: Path

    def minerals(self, *args: str, stdin: str | None = None) -> Result:
        """Run `minerals ARGS` against this database."""
        env = {"MINERALS_DATABASE_URL": self.url, "MINERALS_DATA_DIR": str(self.data_dir)}
        return CliRunner().invoke(app, list(args), env=env, input=stdin)

    def append(self, count: int, **fields: Any) -> None:
        """Append `count` events, one transaction each, as product code does."""
        for i in range(count):
            with self.sessions.begin() as session:
                values = {"actor": "system", "action": "test.event", "subject": f"survey:{i % 3}"} | fields
                session.add(AuditEvent(after={"i": i}, **values))

    def tamper(self, sql: str | Executable, **params: Any) -> None:
        """Run SQL as a database owner who switched the append-only triggers off first."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_update"))
                conn.execute(text("DROP TRIGGER IF EXISTS audit_events_no_delete"))
            else:
                conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
            conn.execute(text(sql) if isinstance(sql, str) else sql, params)


def _params() -> list[Any]:
    pg = pytest.param("postgresql", id="postgresql")
    skip = pytest.mark.skip(reason="MINERALS_TEST_DATABASE_URL not set")
    return ["sqlite", pg if PG else pytest.param("postgresql", id="postgresql", marks=skip)]


@pytest.fixture(params=_params())
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditDb]:
    """An empty database of each kind."""
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'minerals.db'}"
    else:
        assert PG is not None
        schema = f"audit_{uuid.uuid4().hex[:12]}"
        with make_engine(PG).begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{PG}{'&' if '?' in PG else '?'}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    create_schema(engine)
    yield AuditDb(url, engine, session_factory(engine), tmp_path)
    engine.dispose()
    if schema:
        admin = make_engine(PG or "")
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> AuditDb:
    """An empty SQLite database (for tests whose point is not the database kind)."""
    url = f"sqlite:///{tmp_path / 'minerals.db'}"
    engine = make_engine(url)
    create_schema(engine)
    return AuditDb(url, engine, session_factory(engine), tmp_path)
