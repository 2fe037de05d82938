"""The chain holds on SQLite and PostgreSQL: appends link, nothing is changed in place, and any edit,
deletion, insertion or reordering makes `minerals audit verify` fail at that row."""

from __future__ import annotations

import re

import pytest
from audit_kit import AuditDb
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from models.audit import AuditEvent
from models.audit_chain import GENESIS, AppendOnly, fields_of, link


def ids(db: AuditDb) -> list[int]:
    with db.sessions() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def test_events_link_in_order_and_verify(db: AuditDb) -> None:
    db.append(4)
    with db.sessions.begin() as session:  # several events in one transaction keep the order they were added
        session.add_all(
            AuditEvent(actor="a", action="test.batch", subject=f"n:{i}", after={"n": i}) for i in range(3)
        )
    with db.sessions() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    assert [e.seq for e in events] == list(range(1, 8))
    assert [e.subject for e in events[4:]] == ["n:0", "n:1", "n:2"]
    assert events[0].prev_hash == GENESIS
    for before, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == before.hash == link(before.prev_hash, fields_of(before))
    result = db.minerals("audit", "verify")
    assert result.exit_code == 0, result.output
    assert f"7 event(s), head 7:{events[-1].hash}" in result.stdout


def test_the_product_cannot_change_or_delete_an_event(db: AuditDb) -> None:
    db.append(2)
    with db.sessions() as session:
        event = session.scalars(select(AuditEvent)).first()
        assert event is not None
        event.actor = "someone else"
        with pytest.raises(AppendOnly):
            session.commit()
        session.rollback()
        session.delete(session.scalars(select(AuditEvent)).first())
        with pytest.raises(AppendOnly):
            session.commit()
    for sql in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(text(sql))
    assert db.minerals("audit", "verify").exit_code == 0


def broken_at(db: AuditDb) -> str:
    result = db.minerals("audit", "verify")
    assert result.exit_code == 1, result.output
    found = re.search(r"BROKEN at (.*)", result.stderr)
    assert found, result.stderr
    return found.group(1)


def test_an_edited_row_breaks_at_that_row(db: AuditDb) -> None:
    db.append(6)
    row = ids(db)[3]
    db.tamper("UPDATE audit_events SET actor = 'mallory' WHERE id = :id", id=row)
    assert broken_at(db).startswith(f"row id {row} (seq 4): its content no longer matches its hash")


def test_an_edited_and_rehashed_row_breaks_at_the_next_row(db: AuditDb) -> None:
    db.append(6)
    with db.sessions() as session:
        third = session.scalars(select(AuditEvent).where(AuditEvent.seq == 3)).one()
        forged = fields_of(third) | {"actor": "mallory"}
    db.tamper("UPDATE audit_events SET actor = 'mallory', hash = :h WHERE id = :id",
              h=link(third.prev_hash, forged), id=third.id)  # fmt: skip
    assert "the previous event was rewritten" in broken_at(db)
    assert broken_at(db).startswith(f"row id {ids(db)[3]} (seq 4)")


def test_a_deleted_row_breaks_at_the_row_after_it(db: AuditDb) -> None:
    db.append(6)
    rows = ids(db)
    db.tamper("DELETE FROM audit_events WHERE id = :id", id=rows[2])
    assert broken_at(db).startswith(f"row id {rows[3]} (seq 4): event 3 is missing")


def test_deleting_the_last_rows_shows_at_the_head(db: AuditDb) -> None:
    db.append(6)
    db.tamper("DELETE FROM audit_events WHERE seq > 4")
    assert (
        broken_at(db)
        == "seq 5: the chain ends at seq 4 but its head records seq 6: the last events were deleted"
    )


def test_an_inserted_row_breaks_at_that_row(db: AuditDb) -> None:
    db.append(3)
    db.tamper(
        "INSERT INTO audit_events (at, actor, action, subject, seq, prev_hash, hash) "
        "VALUES (CURRENT_TIMESTAMP, 'mallory', 'user.created', 'user:9', 4, :p, :p)",
        p="ab" * 32,
    )
    inserted = ids(db)[-1]
    assert broken_at(db).startswith(f"row id {inserted} (seq 4):")


def test_reordered_rows_break_at_the_first_moved_row(db: AuditDb) -> None:
    db.append(6)
    table = AuditEvent.__table__
    with db.engine.connect() as conn:
        third, fourth = conn.execute(
            select(table).where(table.c.seq.in_([3, 4])).order_by(table.c.id)
        ).mappings()
    moved = [c.name for c in table.columns if c.name != "id"]
    db.tamper(update(AuditEvent).where(AuditEvent.id == third["id"]).values(seq=-3))
    db.tamper(update(AuditEvent).where(AuditEvent.id == fourth["id"]).values({c: third[c] for c in moved}))
    db.tamper(update(AuditEvent).where(AuditEvent.id == third["id"]).values({c: fourth[c] for c in moved}))
    assert broken_at(db).startswith(f"row id {third['id']} (seq 4): event 3 is missing here")


def test_a_recomputed_chain_is_caught_by_an_anchor_kept_outside(db: AuditDb) -> None:
    db.append(4)
    anchored = db.minerals("audit", "anchor")
    assert anchored.exit_code == 0, anchored.output
    kept = re.search(r"audit head (\d+:[0-9a-f]{64})", anchored.stdout)
    assert kept and kept.group(1).startswith("4:")
    db.append(2)
    # Someone with the database rewrites event 2 and recomputes every later hash and the head.
    with db.sessions() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    prev, rewritten = events[0].hash, dict[int, str]()
    for event in events[1:]:
        fields = fields_of(event) | ({"actor": "mallory"} if event.seq == 2 else {})
        if event.action == "audit.anchored" and event.after:  # the stored anchor is rewritten too
            fields["after"] = {"seq": event.after["seq"], "hash": rewritten[event.after["seq"]]}
        fields["prev_hash"] = prev
        prev = rewritten[event.seq] = link(prev, fields)
        values = {
            "actor": fields["actor"],
            "after": fields["after"],
            "prev_hash": fields["prev_hash"],
            "hash": prev,
        }
        db.tamper(update(AuditEvent).where(AuditEvent.id == event.id).values(values))
    db.tamper("UPDATE audit_chain_head SET hash = :h", h=prev)
    assert db.minerals("audit", "verify").exit_code == 0  # a full recomputation is invisible from inside
    result = db.minerals("audit", "verify", "--anchor", kept.group(1))
    assert result.exit_code == 1
    assert "row id" in result.stderr and "(seq 4): it differs from the anchored hash" in result.stderr
