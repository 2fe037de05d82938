"""The hash chain of the audit trail: canonical encoding, the flush hook that links new events, the schema.

hash = sha256(previous hash (32 bytes) || canonical JSON of the event); the first event links to 32 zero
bytes. Appends lock the single `audit_chain_head` row before reading it (an UPDATE: a row lock on
PostgreSQL, the write lock on SQLite) and move it in the same transaction, so writers queue, never fork."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, event, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction

from models.audit import AuditChainHead, AuditEvent
from models.base import Base

GENESIS = "0" * 64
FIELDS = ("seq", "at", "actor", "action", "subject", "before", "after", "idempotency_key")
ANCHOR_ACTION = "audit.anchored"


class AppendOnly(RuntimeError):
    """Something tried to change or delete a written audit event."""


def iso_at(at: dt.datetime | str) -> str:
    """A time as the chain encodes it: UTC, microseconds, 'Z' (naive values are UTC, as SQLite returns)."""
    moment = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(ev: Mapping[str, Any]) -> bytes:
    """The bytes hashed for an event: sorted compact JSON of its fields, UTF-8."""
    body = {name: ev[name] for name in FIELDS}
    body["at"] = iso_at(ev["at"])
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link(prev_hash: str, ev: Mapping[str, Any]) -> str:
    """The hash of an event chained to the previous event's hash."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical(ev)).hexdigest()


def fields_of(ev: AuditEvent) -> dict[str, Any]:
    """The chained fields of an event object."""
    return {name: getattr(ev, name) for name in FIELDS}


# Built once: constructing these statements costs more than running them.
_LOCK = (
    update(AuditChainHead)
    .where(AuditChainHead.id == 1)
    .values(seq=AuditChainHead.seq)
    .returning(AuditChainHead.seq, AuditChainHead.hash)
)
_MOVE = (
    update(AuditChainHead)
    .where(AuditChainHead.id == 1)
    .values(seq=bindparam("head_seq"), hash=bindparam("head_hash"))
)


def lock_head(conn: Connection) -> tuple[int, str]:
    """Lock the chain head for this transaction and return its (seq, hash); creates it on first use."""
    row = conn.execute(_LOCK).first()
    if row is None:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(
            dialect.insert(AuditChainHead).values(id=1, seq=0, hash=GENESIS).on_conflict_do_nothing()
        )
        row = conn.execute(_LOCK).one()
    return int(row[0]), str(row[1])


def move_head(conn: Connection, seq: int, digest: str) -> None:
    """Set the head to the last appended event (the caller holds its lock)."""
    conn.execute(_MOVE, {"head_seq": seq, "head_hash": digest})


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """A JSON value exactly as it will read back from the database (tuples become lists, keys text)."""
    return None if value is None else json.loads(json.dumps(value))


@event.listens_for(Session, "before_flush")
def _chain_new_events(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    """Give every new AuditEvent of this flush its seq, prev_hash and hash, in the order they were added."""
    changed = [o for o in session.dirty if isinstance(o, AuditEvent) and session.is_modified(o)]
    if changed or any(isinstance(o, AuditEvent) for o in session.deleted):
        raise AppendOnly("audit events are append-only: an event cannot be changed or deleted")
    new = [o for o in session.new if isinstance(o, AuditEvent)]
    if not new:
        return
    new.sort(key=lambda o: inspect(o).insert_order or 0)
    conn = session.connection()
    seq, prev = lock_head(conn)
    for ev in new:
        seq += 1
        ev.at = dt.datetime.fromisoformat(iso_at(ev.at or dt.datetime.now(dt.UTC)))
        ev.before, ev.after = _plain(ev.before), _plain(ev.after)
        ev.seq, ev.prev_hash = seq, prev
        ev.hash = prev = link(prev, fields_of(ev))
    move_head(conn, seq, prev)


_SQLITE_TRIGGERS = [
    "CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events "
    "WHEN OLD.hash IS NOT NULL BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
]
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.hash IS NULL THEN RETURN NEW; END IF;  -- chaining pre-chain rows
  RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END $$"""
_PG_TRIGGERS = [
    "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
]


def create_triggers(conn: Connection) -> None:
    """Make the database refuse UPDATE and DELETE of written audit events (idempotent)."""
    if conn.dialect.name == "sqlite":
        for ddl in _SQLITE_TRIGGERS:
            conn.execute(text(ddl))
    elif conn.dialect.name == "postgresql":
        found = conn.scalar(
            text(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass('audit_events') "
                "AND tgname LIKE 'audit_events_no_%'"
            )
        )
        if not found:
            conn.execute(text(_PG_FUNCTION))
            for ddl in _PG_TRIGGERS:
                conn.execute(text(ddl))


def drop_triggers(conn: Connection) -> None:
    """Remove the append-only triggers (only a schema downgrade does this)."""
    if conn.dialect.name == "sqlite":
        for name in ("audit_events_no_update", "audit_events_no_delete"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    elif conn.dialect.name == "postgresql":
        for name in ("audit_events_no_change", "audit_events_no_truncate"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON audit_events"))
        conn.execute(text("DROP FUNCTION IF EXISTS audit_events_append_only()"))


def _chain_legacy_rows(conn: Connection) -> None:
    """Add the chain columns to a table that predates them and chain its rows in id order."""
    for column, kind in (("seq", "INTEGER"), ("prev_hash", "VARCHAR(64)"), ("hash", "VARCHAR(64)")):
        conn.execute(text(f"ALTER TABLE audit_events ADD COLUMN {column} {kind}"))  # noqa: S608
    conn.execute(text("CREATE UNIQUE INDEX uq_audit_events_seq ON audit_events (seq)"))
    table = AuditEvent.__table__
    seq, prev = lock_head(conn)
    rows = conn.execute(select(table).where(table.c.hash.is_(None)).order_by(table.c.id)).mappings().all()
    for row in rows:
        seq += 1
        chained = {**row, "seq": seq, "prev_hash": prev}
        prev = link(prev, chained)
        values = {"seq": seq, "prev_hash": chained["prev_hash"], "hash": prev}
        conn.execute(update(AuditEvent).where(AuditEvent.id == row["id"]).values(values))
    move_head(conn, seq, prev)


@event.listens_for(Base.metadata, "after_create")
def ensure_chain_schema(_metadata: object, conn: Connection, **_kw: Any) -> None:
    """After create_all: chain a pre-chain audit table once, and refuse UPDATE/DELETE with triggers."""
    if not inspect(conn).has_table("audit_events"):
        return
    if "hash" not in {c["name"] for c in inspect(conn).get_columns("audit_events")}:
        _chain_legacy_rows(conn)
    create_triggers(conn)
