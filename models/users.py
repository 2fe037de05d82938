"""Staff accounts of the web console: email, role, argon2 password hash and lockout state."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Role(StrEnum):
    """What a staff member may do: viewers read, analysts decide on cases, admins manage."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        """True when this role includes everything `needed` may do."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


class User(Base):
    """One staff account; suppliers never have one (they use signed upload links)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-case
    role: Mapped[str] = mapped_column(String(16), default=Role.VIEWER)
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    # Bumped on sign-out and password change: every older session cookie stops working.
    session_epoch: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
