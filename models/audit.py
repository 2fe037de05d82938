"""The audit trail: one append-only row per change, outliving Temporal's history retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class AuditEvent(Base):
    """Who did what to which subject, with the state before and after."""

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
