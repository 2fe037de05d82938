"""Suppliers: the companies surveyed, keyed by the buyer's own supplier id."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")


def is_email_address(value: str) -> bool:
    """True for one plain address (name@domain.tld); no display name, list or spaces."""
    return bool(_EMAIL.match(value))


class Supplier(Base):
    """A supplier and the people to write to about it."""

    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(320))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    owner_email: Mapped[str] = mapped_column(String(320), default="")  # internal buyer, copied on escalation
    minerals: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
