"""Stored files: uploaded templates, kept on disk and referenced by id and sha256."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.enums import CheckStatus


class StoredFile(Base):
    """One uploaded file and the outcome of checking it."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"), index=True)  # its case
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    path: Mapped[str] = mapped_column(String(500))  # relative to the file store
    original_name: Mapped[str] = mapped_column(String(300))
    uploaded_by: Mapped[str] = mapped_column(String(320), default="supplier")
    check_status: Mapped[str] = mapped_column(String(16), default=CheckStatus.PENDING)
    issue_count: Mapped[int] = mapped_column(default=0)
    # Issues as found: [{"severity", "code", "sheet", "cell", "message", "params"}].
    issues: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    family: Mapped[str | None] = mapped_column(String(8))
    version: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    checked_at: Mapped[dt.datetime | None]
