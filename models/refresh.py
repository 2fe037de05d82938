"""Registry refreshes: what each imported RMI status list changed, and each case it judged again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class RegistryRefresh(Base):
    """One refresh: the import it follows, the facilities whose status changed, what it did to cases."""

    __tablename__ = "registry_refreshes"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("registry_import.id"), unique=True)
    workflow_id: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[dt.date] = mapped_column(Date)  # the day statuses are judged on
    # [{"smelter_id", "name", "metal", "before", "after", "audit_ends"}]: status changes and audits ending
    facilities: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    cases_examined: Mapped[int] = mapped_column(default=0)
    cases_changed: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]


class RefreshCase(Base):
    """A case a refresh judged again and found changed: its new assessment and what changed in it."""

    __tablename__ = "refresh_cases"
    __table_args__ = (UniqueConstraint("refresh_id", "survey_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    refresh_id: Mapped[int] = mapped_column(ForeignKey("registry_refreshes.id"), index=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    risk_before: Mapped[str | None] = mapped_column(String(16))
    risk_after: Mapped[str] = mapped_column(String(16))
    # [{"code", "severity", "smelter_id", "message"}] found now and not before, and the reverse
    added: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    removed: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    told: Mapped[str] = mapped_column(String(20), default="pending")  # pending | signalled | workflow-ended
