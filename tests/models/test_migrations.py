"""Migrations: an empty database and one made by release 0.1.0 both reach the models' exact schema."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import models.tables  # noqa: F401  (every table on Base.metadata)
from cli.main import app
from models.audit import AuditEvent
from models.base import Base
from models.db import make_engine
from models.schema import current, head, upgrade
from models.supplier import Supplier

RELEASE_0_1_0 = Path(__file__).parent / "release_0_1_0"
runner = CliRunner()
# SQLite cannot reflect the expression index lower(name): compare_metadata says so and skips only it.
pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index")


def differences(engine: Engine) -> list[object]:
    """What autogenerate would still change: nothing when the database matches the models."""
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))


def cli(data_dir: Path, url: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)], env={"MINERALS_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return said(result.output)


def load_release_0_1_0(url: str) -> None:
    """Create the schema exactly as release 0.1.0 did, from its dump (on a connection of its own: the
    PostgreSQL dump empties the session's search_path)."""
    engine = make_engine(url)
    ddl = (RELEASE_0_1_0 / f"{engine.dialect.name}.sql").read_text()
    raw = engine.raw_connection()
    driver: Any = raw.driver_connection
    try:
        if engine.dialect.name == "sqlite":
            driver.executescript(ddl)
        else:
            driver.execute(ddl)  # psycopg runs many statements in one call when there are no parameters
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def said(output: str) -> str:
    """Command output with the terminal's line wrapping undone."""
    return " ".join(output.split())


def appends_refused(engine: Engine) -> bool:
    """Whether the database itself refuses to change a written audit event."""
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET actor = 'someone else'"))
    except DBAPIError as exc:
        return "append-only" in str(exc)
    return False


def test_an_empty_database_is_migrated_to_the_models_schema(empty_database_url: str, tmp_path: Path) -> None:
    engine = make_engine(empty_database_url)
    assert current(engine) is None
    out = cli(tmp_path, empty_database_url, "db", "upgrade")
    assert f"migrated from nothing to revision {head()}" in out
    assert current(engine) == head() and differences(engine) == []
    assert "already at revision" in cli(tmp_path, empty_database_url, "db", "upgrade")
    with Session(engine) as session:
        session.add(AuditEvent(actor="staff", action="supplier.imported", subject="supplier:S1"))
        session.commit()
    assert appends_refused(engine)
    engine.dispose()


def test_a_release_0_1_0_database_keeps_its_data_and_reaches_the_newest_revision(
    empty_database_url: str, tmp_path: Path
) -> None:
    load_release_0_1_0(empty_database_url)
    engine = make_engine(empty_database_url)
    with Session(engine) as session:
        session.add(Supplier(supplier_id="S1", name="Example Metals", email="s1@example.com"))
        for n in range(3):
            session.add(AuditEvent(actor="staff", action="supplier.imported", subject=f"supplier:S{n}"))
        session.commit()
    assert current(engine) is None

    out = cli(tmp_path, empty_database_url, "db", "upgrade")
    assert f"migrated from nothing to revision {head()}" in out
    assert current(engine) == head() and differences(engine) == []
    with Session(engine) as session:
        assert session.scalars(select(Supplier.name)).all() == ["Example Metals"]
        assert session.scalars(select(AuditEvent.seq).order_by(AuditEvent.id)).all() == [1, 2, 3]
    assert "3 event(s), head 3" in cli(tmp_path, empty_database_url, "audit", "verify")
    assert appends_refused(engine)
    engine.dispose()


def test_0002_adds_attempt_and_bounce_times_and_clears_stale_errors_of_sent_emails(
    empty_database_url: str,
) -> None:
    engine = make_engine(empty_database_url)
    upgrade(engine, "0001")
    row = (
        'INSERT INTO email_messages (kind, language, "to", cc, subject, text_body, html_body, links,'
        " idempotency_key, created_at, sent_at, attempts, last_error) VALUES ('request', 'en', '[]', '[]',"
        " 's', 't', 'h', '[]', :key, :at, :sent, 2, 'SMTPConnectError: refused')"
    )
    at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(text(row), {"key": "sent-after-a-failure", "at": at, "sent": at})
        conn.execute(text(row), {"key": "still-failing", "at": at, "sent": None})
    upgrade(engine)
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT idempotency_key, last_error, attempted_at, bounced_at FROM email_messages ORDER BY id"
            )
        ).all()
    assert [tuple(r) for r in found] == [
        ("sent-after-a-failure", None, None, None),
        ("still-failing", "SMTPConnectError: refused", None, None),
    ]
    assert differences(engine) == []
    engine.dispose()


def test_two_processes_starting_at_once_migrate_once(empty_database_url: str) -> None:
    engines = [make_engine(empty_database_url) for _ in range(2)]
    results: list[tuple[str | None, str | None]] = []
    threads = [threading.Thread(target=lambda e=e: results.append(upgrade(e))) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == sorted([(None, head()), (head(), head())], key=str)
    for engine in engines:
        engine.dispose()


def test_a_server_database_behind_the_release_is_refused_with_the_command_to_run(
    empty_database_url: str, tmp_path: Path
) -> None:
    if empty_database_url.startswith("sqlite"):
        # SQLite is one user's database: any command brings it up to date by itself.
        cli(tmp_path, empty_database_url, "suppliers", "list")
        assert current(make_engine(empty_database_url)) == head()
        return
    result = runner.invoke(
        app,
        ["suppliers", "list", "--data-dir", str(tmp_path)],
        env={"MINERALS_DATABASE_URL": empty_database_url},
    )
    assert result.exit_code == 1
    assert "has no schema revision" in said(result.output) and "minerals db upgrade" in said(result.output)
    assert "Traceback" not in result.output
    assert current(make_engine(empty_database_url)) is None  # nothing was changed behind the operator


def test_db_current_says_whether_an_upgrade_is_needed(empty_database_url: str, tmp_path: Path) -> None:
    env = {"MINERALS_DATABASE_URL": empty_database_url}
    before = runner.invoke(app, ["db", "current", "--json", "--data-dir", str(tmp_path)], env=env)
    assert before.exit_code == 1 and '"current": null' in before.output
    cli(tmp_path, empty_database_url, "db", "upgrade")
    after = runner.invoke(app, ["db", "current", "--data-dir", str(tmp_path)], env=env)
    assert after.exit_code == 0 and "the newest" in said(after.output)


def test_an_unknown_revision_is_a_clear_error(empty_database_url: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["db", "upgrade", "9999", "--data-dir", str(tmp_path)],
        env={"MINERALS_DATABASE_URL": empty_database_url},
    )
    assert result.exit_code == 2 and "9999" in result.output and "Traceback" not in result.output
