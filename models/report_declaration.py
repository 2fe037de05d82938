"""What each complete upload declared, kept for reports: canonical answers and the smelter rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ReportDeclaration(Base):
    """The declaration of one stored file, as reports need it (no need to re-read the workbook)."""

    __tablename__ = "report_declarations"

    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), primary_key=True)
    family: Mapped[str] = mapped_column(String(8))
    version: Mapped[str] = mapped_column(String(16))
    minerals: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {"Q1": {"Tin": "Yes"}, "A": "Yes", ...}: answers in the template's canonical spelling.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # [{"row", "metal", "smelter_id", "name", "country", "lookup"}], in Smelter List order.
    smelters: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
