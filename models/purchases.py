"""Purchases and the commodity-to-minerals map: what was bought, from whom, and which minerals it holds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class PurchaseImport(Base):
    """One imported purchase file; its rows are `Purchase` rows, all or none."""

    __tablename__ = "purchase_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    actor: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Purchase(Base):
    """One purchase line: a part or material bought from a supplier in a fiscal year."""

    __tablename__ = "purchases"
    __table_args__ = (Index("ix_purchases_year_supplier", "fiscal_year", "supplier_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("purchase_imports.id"))
    supplier_key: Mapped[str] = mapped_column(String(64))  # the buyer's supplier id
    part_number: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    commodity: Mapped[str] = mapped_column(String(200), default="")  # commodity or material class
    quantity: Mapped[float | None]
    spend: Mapped[float | None]
    purchased_on: Mapped[dt.date | None]
    fiscal_year: Mapped[int]


class CommodityMinerals(Base):
    """A commodity or material class and the minerals its parts contain (staff edit the map)."""

    __tablename__ = "commodity_minerals"

    id: Mapped[int] = mapped_column(primary_key=True)
    commodity: Mapped[str] = mapped_column(String(200), unique=True)  # as written, matched case-insensitively
    minerals: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
