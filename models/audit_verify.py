"""Recompute the audit chain (from the database or an export) and name the first broken link."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditChainHead, AuditEvent
from models.audit_chain import ANCHOR_ACTION, GENESIS, link

COLUMNS = ("id", "seq", "at", "actor", "action", "subject", "before", "after", "idempotency_key",
           "prev_hash", "hash")  # fmt: skip


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold: the row (None when it is missing) and what is wrong."""

    row_id: int | None
    seq: int | None
    problem: str


@dataclass(frozen=True)
class Outcome:
    """What a verification saw: events checked, the last good seq and hash, and the first break if any."""

    checked: int
    seq: int
    hash: str
    broken: Break | None = None

    @property
    def ok(self) -> bool:
        """True when every link held."""
        return self.broken is None


def _problem(row: Mapping[str, Any], seq: int, prev: str, anchors: Mapping[int, str]) -> str | None:
    """What is wrong with one row given the previous good (seq, hash), or None."""
    if not row.get("hash"):
        return "it has no hash: it was inserted outside the audit trail"
    if row["seq"] != seq + 1:
        if row["seq"] > seq + 1:
            gap = (
                f"event {seq + 1} is" if row["seq"] == seq + 2 else f"events {seq + 1}..{row['seq'] - 1} are"
            )
            return f"{gap} missing here (deleted, or rows reordered): this row has seq {row['seq']}"
        return f"its seq is {row['seq']} after {seq}: rows were reordered or one was inserted"
    if row["prev_hash"] != prev:
        return (
            f"it links to {row['prev_hash'][:16]}..., not to the previous event's hash {prev[:16]}...: "
            "the previous event was rewritten, or an event was inserted or deleted before it"
        )
    if link(row["prev_hash"], row) != row["hash"]:
        return "its content no longer matches its hash: a field was edited after it was written"
    anchored = anchors.get(row["seq"])
    if anchored is not None and anchored != row["hash"]:
        return f"it differs from the anchored hash {anchored[:16]}...: the chain was recomputed from here"
    return None


def walk(
    rows: Iterable[Mapping[str, Any]], start: tuple[int, str] = (0, GENESIS), anchors: Mapping[int, str] = {}
) -> Outcome:
    """Check rows in id order from `start` (seq, hash before the first row); stops at the first break."""
    seq, prev = start
    checked = 0
    for row in rows:
        problem = _problem(row, seq, prev, anchors)
        if problem:
            return Outcome(checked, seq, prev, Break(row["id"], row.get("seq"), problem))
        seq, prev, checked = row["seq"], row["hash"], checked + 1
    beyond = [s for s in anchors if s > seq]
    if beyond:
        return Outcome(checked, seq, prev, Break(None, min(beyond), f"the chain ends at seq {seq}, but seq "
                       f"{min(beyond)} was anchored: the events after {seq} were deleted"))  # fmt: skip
    return Outcome(checked, seq, prev)


def stored_anchors(session: Session) -> dict[int, str]:
    """The (seq, hash) pairs recorded by `minerals audit anchor`."""
    found = session.scalars(select(AuditEvent.after).where(AuditEvent.action == ANCHOR_ACTION))
    return {int(a["seq"]): str(a["hash"]) for a in found if a and "seq" in a and "hash" in a}


def verify_database(session: Session, anchors: Mapping[int, str] = {}) -> Outcome:
    """Recompute the whole chain, then check it ends at the head row (a cut-off tail shows there)."""
    anchors = {**stored_anchors(session), **anchors}
    table = AuditEvent.__table__
    query = select(*(table.c[name] for name in COLUMNS)).order_by(table.c.id)
    rows = session.execute(query, execution_options={"yield_per": 5000}).mappings()
    outcome = walk(cast(Iterable[Mapping[str, Any]], rows), anchors=anchors)
    head = session.get(AuditChainHead, 1)
    if outcome.ok and head is not None and (head.seq, head.hash) != (outcome.seq, outcome.hash):
        problem = f"the chain ends at seq {outcome.seq} but its head records seq {head.seq}: " + (
            "the last events were deleted" if head.seq > outcome.seq else "events were added outside it"
        )
        return Outcome(outcome.checked, outcome.seq, outcome.hash, Break(None, outcome.seq + 1, problem))
    return outcome
