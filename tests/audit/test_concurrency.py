"""Writers in several processes appending at once leave one unforked chain (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing
from collections import Counter

from appender import append_from_process
from audit_kit import AuditDb
from sqlalchemy import select

from models.audit import AuditEvent

PROCESSES, EACH = 4, 250


def test_1000_concurrent_appends_from_4_processes_verify(db: AuditDb) -> None:
    spawn = multiprocessing.get_context("spawn")
    go = spawn.Event()
    workers = [
        spawn.Process(target=append_from_process, args=(db.url, EACH, f"p{n}", go)) for n in range(PROCESSES)
    ]
    for w in workers:
        w.start()
    go.set()
    for w in workers:
        w.join(300)
        assert w.exitcode == 0
    with db.sessions() as session:
        rows = session.execute(select(AuditEvent.seq, AuditEvent.actor).order_by(AuditEvent.id)).all()
    assert [seq for seq, _ in rows] == list(range(1, PROCESSES * EACH + 1))
    assert Counter(actor for _, actor in rows) == {f"p{n}": EACH for n in range(PROCESSES)}
    result = db.minerals("audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"{PROCESSES * EACH} event(s)" in result.stdout
