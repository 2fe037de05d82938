"""Audit chain: appends per second and verify time, against plain unchained inserts in the same run.

Run by hand: `.venv/bin/python bench/bench_audit.py [--events 1000000] [--url postgresql://...]`.
Default database: a fresh SQLite file in a temp dir. Appends go through `session.add(AuditEvent(...))`
as the product writes them; the baseline adds rows of the same shape to a table without the chain.
  1. one event per transaction (how activities append), `--single` of each, alternating in rounds;
  2. `--events` events in transactions of `--batch`, chained then plain;
  3. `minerals audit verify`'s recomputation over all `--events` events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from models.audit import AuditEvent
from models.audit_verify import verify_database
from models.db import create_schema, make_engine, session_factory


class _Plain(DeclarativeBase):
    type_annotation_map = {dt.datetime: DateTime(timezone=True)}


class PlainEvent(_Plain):
    """The baseline: an audit row without seq, prev_hash and hash, and no head to lock."""

    __tablename__ = "bench_plain_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC), index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    idempotency_key: Mapped[str | None] = mapped_column(String(300), unique=True)


def event(kind: type[AuditEvent] | type[PlainEvent], n: int) -> AuditEvent | PlainEvent:
    """A typical case transition: before and after snapshots of a few fields."""
    return kind(
        actor="system",
        action="survey.reminded",
        subject=f"survey:{n % 10_000}",
        before={"stage": "requested", "reminders_sent": n % 3},
        after={"stage": "reminded", "reminders_sent": n % 3 + 1, "due_at": "2027-03-31T23:59:59+00:00"},
        idempotency_key=f"survey-C-{n}/reminder",
    )


def appends(sessions: sessionmaker[Session], kind: Any, start: int, count: int, batch: int) -> float:
    """Seconds to append `count` events in transactions of `batch`."""
    began = time.perf_counter()
    for first in range(start, start + count, batch):
        with sessions.begin() as session:
            session.add_all(event(kind, n) for n in range(first, min(first + batch, start + count)))
    return time.perf_counter() - began


def rate(label: str, count: int, seconds: float, baseline: float | None = None) -> None:
    """Print one result line."""
    ratio = f"  ({seconds / baseline:.2f}x the plain time)" if baseline else ""
    print(f"{label:<44} {count / seconds:>10,.0f} /s  {seconds:8.2f} s{ratio}", flush=True)


def single(sessions: sessionmaker[Session], count: int, rounds: int = 4) -> None:
    """One event per transaction, chained and plain alternating so both see the same machine load."""
    took: dict[Any, float] = {AuditEvent: 0.0, PlainEvent: 0.0}
    each = count // rounds
    for r in range(rounds):
        for kind in (AuditEvent, PlainEvent) if r % 2 else (PlainEvent, AuditEvent):
            took[kind] += appends(sessions, kind, 10**9 + r * each, each, 1)
    rate("plain insert, 1 event/transaction", each * rounds, took[PlainEvent])
    rate("chained append, 1 event/transaction", each * rounds, took[AuditEvent], took[PlainEvent])


def bulk(sessions: sessionmaker[Session], events: int, batch: int) -> None:
    """`events` of each kind in transactions of `batch`."""
    plain = appends(sessions, PlainEvent, 0, events, batch)
    rate(f"plain insert, {batch} events/transaction", events, plain)
    chained = appends(sessions, AuditEvent, 0, events, batch)
    rate(f"chained append, {batch} events/transaction", events, chained, plain)


def timed(label: str, work: Callable[[], Any]) -> Any:
    """Run and print the wall time of one step."""
    began = time.perf_counter()
    result = work()
    print(f"{label:<44} {time.perf_counter() - began:8.2f} s", flush=True)
    return result


def run(engine: Engine, events: int, batch: int, count: int) -> None:
    """Every measurement on one empty database."""
    create_schema(engine)
    _Plain.metadata.create_all(engine)
    sessions = session_factory(engine)
    print(f"database: {engine.url.render_as_string(hide_password=True)}")
    single(sessions, count)
    bulk(sessions, events, batch)
    with sessions() as session:
        outcome = timed(
            f"verify (recompute) {outcome_count(session):,} events", lambda: verify_database(session)
        )
    print(f"verify: {'OK' if outcome.ok else outcome.broken}, head {outcome.seq}:{outcome.hash}")


def outcome_count(session: Session) -> int:
    """Events in the audit table."""
    return int(session.scalar(text("SELECT count(*) FROM audit_events")) or 0)


def main() -> None:
    """Parse arguments and run on a fresh database."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1000, help="events per transaction for the bulk run")
    parser.add_argument("--single", type=int, default=2000, help="one-event transactions of each kind")
    parser.add_argument("--url", default="", help="an empty database (default: SQLite in a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        run(engine, args.events, args.batch, args.single)
        engine.dispose()


if __name__ == "__main__":
    main()
