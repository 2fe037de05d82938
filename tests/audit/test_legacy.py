"""A database whose audit table predates the chain gets its columns and its old events chained, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app
from models.db import create_schema, make_engine

OLD_TABLE = (
    "CREATE TABLE audit_events (id INTEGER PRIMARY KEY, at DATETIME NOT NULL, actor VARCHAR(320) NOT NULL, "
    "action VARCHAR(64) NOT NULL, subject VARCHAR(200) NOT NULL, before JSON, after JSON, "
    "idempotency_key VARCHAR(300) UNIQUE)"
)


def test_old_events_are_chained_when_the_schema_is_next_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MINERALS_DATABASE_URL", raising=False)  # this old table is an SQLite file's
    (tmp_path / "minerals.db").unlink(missing_ok=True)  # not the migrated copy every test starts with
    engine = make_engine(f"sqlite:///{tmp_path / 'minerals.db'}")
    with engine.begin() as conn:
        conn.execute(text(OLD_TABLE))
        for n in range(3):
            values = {"at": f"2026-01-0{n + 1} 10:00:00.000000", "s": f"survey:{n}", "a": f'{{"n": {n}}}'}
            conn.execute(
                text(
                    "INSERT INTO audit_events (at, actor, action, subject, after) "
                    "VALUES (:at, 'system', 'survey.requested', :s, :a)"
                ),
                values,
            )
    create_schema(engine)
    create_schema(engine)  # the second start changes nothing
    with engine.connect() as conn:
        assert conn.execute(text("SELECT seq FROM audit_events ORDER BY id")).scalars().all() == [1, 2, 3]
    engine.dispose()
    result = CliRunner().invoke(app, ["audit", "verify", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "3 event(s), head 3:" in result.stdout
