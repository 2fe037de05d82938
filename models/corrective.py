"""Corrective actions of a survey: the action, its timeline, its evidence, and smelter outreach."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.enums import ActionStatus


class CorrectiveAction(Base):
    """One corrective action: a group of findings of one supplier and kind, until it is closed."""

    __tablename__ = "corrective_actions"
    __table_args__ = (UniqueConstraint("survey_id", "n"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    n: Mapped[int]  # 1, 2, ... within the survey
    workflow_id: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    group_key: Mapped[str] = mapped_column(String(120))  # kind and metal: one open action per key
    metal: Mapped[str | None] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(16), index=True)
    required_outcome: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(320), index=True)
    due_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.OPEN, index=True)
    # Findings covered: [{"code", "severity", "metal", "smelter_id", "message"}], the latest assessment's.
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    justification: Mapped[str | None] = mapped_column(Text)  # why it was waived, accepted or rejected
    opened_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))  # the assessed file
    opened_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))  # by a refresh
    resolved_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    follow_ups: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[dt.datetime | None]


class ActionEvent(Base):
    """One entry of an action's timeline: opened, follow-up, note, decision, evidence, closure."""

    __tablename__ = "action_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("corrective_actions.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    event: Mapped[str] = mapped_column(String(64))  # e.g. "action.rejected"
    note: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(300), unique=True)


class ActionEvidence(Base):
    """A file offered as evidence for an action (a new template, a letter, a certificate)."""

    __tablename__ = "action_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("corrective_actions.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"))
    kind: Mapped[str] = mapped_column(String(16))  # template | document
    submitted_by: Mapped[str] = mapped_column(String(320))
    note: Mapped[str] = mapped_column(Text, default="")
    review: Mapped[str] = mapped_column(String(16), default="pending")  # pending | accepted | rejected
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SmelterOutreach(Base):
    """Staff contact with a non-conformant smelter to encourage it to join RMAP (OECD step 4)."""

    __tablename__ = "smelter_outreach"

    id: Mapped[int] = mapped_column(primary_key=True)
    smelter_id: Mapped[str] = mapped_column(String(40), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    channel: Mapped[str] = mapped_column(String(40), default="email")
    note: Mapped[str] = mapped_column(Text, default="")
