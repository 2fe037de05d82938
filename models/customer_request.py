"""Customers' requests for our own CMRT/EMRT, tracked until answered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

OPEN, ANSWERED = "open", "answered"


class CustomerRequest(Base):
    """A customer's request: who, which template and version, company or product scope, by when."""

    __tablename__ = "customer_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer: Mapped[str] = mapped_column(String(300))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(320))
    template: Mapped[str] = mapped_column(String(8))  # CMRT, EMRT
    version: Mapped[str] = mapped_column(String(16), default="")  # empty: the latest we know
    products: Mapped[list[str]] = mapped_column(JSON, default=list)  # part numbers; empty: company scope
    due_date: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default=OPEN, index=True)
    note: Mapped[str] = mapped_column(String(1000), default="")
    answer_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    answered_at: Mapped[dt.datetime | None]
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def scope(self) -> str:
        """'company', or 'product' when the request names parts."""
        return "product" if self.products else "company"
