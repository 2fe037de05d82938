"""Smelter outreach: the contacts of smelters, and each facility's engagement towards RMAP conformance."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class SmelterContact(Base):
    """Whom to write to at a smelter or refiner (one contact per facility)."""

    __tablename__ = "smelter_contacts"

    smelter_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8), default="en")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Outreach(Base):
    """One facility's outreach workflow as the database records it (its timeline is in the audit trail)."""

    __tablename__ = "smelter_outreach_cases"

    smelter_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    workflow_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), index=True)  # needs-contact | letter-sent | ... | closed
    reason: Mapped[str] = mapped_column(Text, default="")
    letters: Mapped[int] = mapped_column(default=0)  # the letter and its follow-ups sent
    outcome: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
