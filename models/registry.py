"""Smelter registry tables: facilities, aliases and old ids, status snapshots, import history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class RegistryImport(Base):
    """One imported file: what it was, its as-of date, what it added and which rows it rejected."""

    __tablename__ = "registry_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # lookup | status-list | facility-list | id-map
    as_of: Mapped[dt.date] = mapped_column(Date)
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    rows_read: Mapped[int] = mapped_column(default=0)
    facilities_added: Mapped[int] = mapped_column(default=0)
    aliases_added: Mapped[int] = mapped_column(default=0)
    statuses_added: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{line, reason}]


class RegistryFacility(Base):
    """A smelter or refiner known by its RMI facility id (CID)."""

    __tablename__ = "registry_facility"

    smelter_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    metal: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(100))
    street: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str | None] = mapped_column(String(120))
    first_import_id: Mapped[int] = mapped_column(ForeignKey("registry_import.id"))


class RegistryAlias(Base):
    """Another name (look-up alias) or an old CFSI v2 id of a facility."""

    __tablename__ = "registry_alias"
    __table_args__ = (UniqueConstraint("smelter_id", "kind", "alias", name="uq_registry_alias_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    smelter_id: Mapped[str] = mapped_column(ForeignKey("registry_facility.smelter_id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # name | v2-id
    alias: Mapped[str] = mapped_column(String(300))
    import_id: Mapped[int] = mapped_column(ForeignKey("registry_import.id"))


class RegistryStatus(Base):
    """A facility's RMAP status as one imported list stated it on its as-of date."""

    __tablename__ = "registry_status"
    __table_args__ = (Index("ix_registry_status_lookup", "smelter_id", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    smelter_id: Mapped[str] = mapped_column(ForeignKey("registry_facility.smelter_id"))
    import_id: Mapped[int] = mapped_column(ForeignKey("registry_import.id"), index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(40))  # status code
    raw_status: Mapped[str | None] = mapped_column(String(120))
    last_audit: Mapped[dt.date | None] = mapped_column(Date)
    cycle_days: Mapped[int | None]
