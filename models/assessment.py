"""Stored assessments: each assessed Smelter List row's match and status on the registry date it used."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Assessment(Base):
    """One judgement of a case's declaration: by an upload, or again by a registry refresh."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_survey_current", "survey_id", "current"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), index=True)
    source: Mapped[str] = mapped_column(String(80))  # "upload", or "refresh:<refresh id>"
    as_of: Mapped[dt.date] = mapped_column(Date)  # the date statuses were judged on
    statuses_as_of: Mapped[dt.date | None] = mapped_column(Date)  # the RMI status list used
    registry_source: Mapped[str] = mapped_column(String(20))  # database | lookup
    risk: Mapped[str] = mapped_column(String(16))
    current: Mapped[bool] = mapped_column(default=True)  # the case's latest assessment
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AssessedRow(Base):
    """One declared Smelter List row as an assessment resolved it, with the findings it raised."""

    __tablename__ = "assessed_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), index=True)
    row: Mapped[int]
    metal: Mapped[str | None] = mapped_column(String(40))
    declared_name: Mapped[str | None] = mapped_column(String(300))
    lookup: Mapped[str | None] = mapped_column(String(300))
    declared_id: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(100))
    matched_id: Mapped[str | None] = mapped_column(String(20), index=True)
    standard_name: Mapped[str | None] = mapped_column(String(300))
    facility_country: Mapped[str | None] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(10))  # id | alias | name | none
    score: Mapped[float] = mapped_column(default=0.0)
    review: Mapped[bool] = mapped_column(default=False)
    gap: Mapped[bool] = mapped_column(default=False)  # "smelter not yet identified"
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(40))  # status code on the assessment's date
    status_as_of: Mapped[dt.date | None] = mapped_column(Date)
    last_audit: Mapped[dt.date | None] = mapped_column(Date)
    audit_ends: Mapped[dt.date | None] = mapped_column(Date)
    in_registry: Mapped[bool] = mapped_column(default=False)  # the facility is in the imported registry
    codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # finding codes the row raised
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"cell", "value", "label"}
