"""Campaign plans: the in-scope suppliers of a fiscal year's survey, why, and the coverage statement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ScopePlan(Base):
    """A plan for one template and fiscal year, from the previous fiscal year's purchases."""

    __tablename__ = "scope_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int]
    template: Mapped[str] = mapped_column(String(8))
    minerals: Mapped[list[str]] = mapped_column(JSON, default=list)  # the template's minerals planned for
    coverage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # counts, shares, statement
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), unique=True)
    actor: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlannedSupplier(Base):
    """One in-scope supplier of a plan: the minerals it is asked about and the parts that put it there."""

    __tablename__ = "planned_suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("scope_plans.id"), index=True)
    supplier_key: Mapped[str] = mapped_column(String(64))
    minerals: Mapped[list[str]] = mapped_column(JSON, default=list)
    parts: Mapped[list[str]] = mapped_column(JSON, default=list)  # part numbers that put it in scope
    spend: Mapped[float] = mapped_column(default=0.0)
