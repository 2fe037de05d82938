"""The audit trail: one append-only, hash-chained row per change, outliving Temporal's history retention.

Code appends with `session.add(AuditEvent(...))` in the transaction of the change; `models.audit_chain`
gives each new event its place (`seq`), the previous event's hash and its own hash at flush time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class AuditEvent(Base):
    """Who did what to which subject, with the state before and after, chained to the event before."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(320))  # "system", "supplier", or a staff email
    action: Mapped[str] = mapped_column(String(64))  # e.g. "survey.reminded", "email.sent"
    subject: Mapped[str] = mapped_column(String(200), index=True)  # e.g. "survey:12", "campaign:3"
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Set by activities so a retried one never appends the same event twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(300), unique=True)
    # The chain, filled in at flush: position (1, 2, ...), the previous event's hash, this event's hash.
    seq: Mapped[int] = mapped_column(unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The one row holding the last event's seq and hash; appenders lock it, so the chain never forks."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    seq: Mapped[int]
    hash: Mapped[str] = mapped_column(String(64))


from models import audit_chain  # noqa: E402, F401  (registers the flush hook with the table)
