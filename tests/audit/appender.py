"""What each writer process of the concurrency test runs; imports only the models (fast to spawn)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event

from models.audit import AuditEvent
from models.db import make_engine, session_factory


def without_fsync(engine: Engine) -> Engine:
    """Commits that skip the disk flush (locks unchanged), so a test of 1,000 commits stays short."""

    @event.listens_for(engine, "connect")
    def _no_fsync(conn: Any, _record: Any) -> None:
        cur = conn.cursor()
        cur.execute(
            "PRAGMA synchronous=OFF" if engine.dialect.name == "sqlite" else "SET synchronous_commit TO off"
        )
        cur.close()
        conn.commit()

    return engine


def append_from_process(url: str, count: int, tag: str, go: Any) -> None:
    """Append `count` events from a separate process once `go` is set (multiprocessing target)."""
    engine = without_fsync(make_engine(url))
    sessions = session_factory(engine)
    go.wait()
    for i in range(count):
        with sessions.begin() as session:
            session.add(
                AuditEvent(actor=tag, action="test.concurrent", subject=f"process:{tag}", after={"i": i})
            )
    engine.dispose()
