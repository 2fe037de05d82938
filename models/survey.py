"""Survey cases (one per supplier per campaign) and the findings recorded on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.enums import Stage


class Survey(Base):
    """The case: where one supplier's answer to one campaign stands."""

    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("campaign_id", "supplier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    workflow_id: Mapped[str] = mapped_column(String(200), unique=True)
    stage: Mapped[str] = mapped_column(String(20), default=Stage.PENDING, index=True)
    due_at: Mapped[dt.datetime]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    fix_rounds: Mapped[int] = mapped_column(default=0)
    risk: Mapped[str | None] = mapped_column(String(20))
    exempt_reason: Mapped[str | None] = mapped_column(Text)
    last_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id", use_alter=True))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    requested_at: Mapped[dt.datetime | None]
    responded_at: Mapped[dt.datetime | None]  # first upload
    closed_at: Mapped[dt.datetime | None]


class Finding(Base):
    """One risk finding from assessing an accepted declaration."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    code: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    metal: Mapped[str | None] = mapped_column(String(40))
    smelter_id: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
