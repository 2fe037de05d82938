"""Campaigns: one yearly survey round of a template family to a list of suppliers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow
from models.enums import CampaignStatus


class Campaign(Base):
    """A campaign; its suppliers are its `Survey` rows, its totals are counted from them."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # business key, used in workflow ids
    template: Mapped[str] = mapped_column(String(8))  # TemplateFamily
    minerals: Mapped[list[str]] = mapped_column(JSON, default=list)  # scope; empty = the family's all
    due_date: Mapped[dt.date]
    reminder_every: Mapped[str] = mapped_column(String(16))  # duration text, e.g. "14d"
    reminders: Mapped[int]
    escalation_after: Mapped[str] = mapped_column(String(16))
    page_size: Mapped[int] = mapped_column(default=500)
    status: Mapped[str] = mapped_column(String(16), default=CampaignStatus.CREATED)
    surveys_started: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]

    @property
    def workflow_id(self) -> str:
        """The Temporal workflow id of this campaign."""
        return f"campaign-{self.name}"
