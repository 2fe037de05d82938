"""Rows for CLI tests that read a case and its corrective action straight from the database."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from models.campaign import Campaign
from models.corrective import CorrectiveAction
from models.files import StoredFile
from models.supplier import Supplier
from models.survey import Survey


def add_campaign(session: Session) -> Campaign:
    """Campaign C1 (CMRT, due 2027-03-31)."""
    campaign = Campaign(
        name="C1",
        template="CMRT",
        due_date=dt.date(2027, 3, 31),
        reminder_every="14d",
        reminders=2,
        escalation_after="7d",
    )
    session.add(campaign)
    session.flush()
    return campaign


def add_case_with_action(
    session: Session,
    campaign: Campaign,
    supplier: Supplier,
    action: CorrectiveAction,
    survey_id: int | None = None,
) -> int:
    """The supplier's case in the campaign with one stored file and `action` (its number CASE/1) opened on
    it; returns the case id."""
    session.add(supplier)
    session.flush()
    survey = Survey(
        id=survey_id,
        campaign_id=campaign.id,
        supplier_id=supplier.id,
        workflow_id=f"survey-C1-{supplier.supplier_id}",
        due_at=dt.datetime(2027, 3, 31),
    )
    session.add(survey)
    session.flush()
    stored = StoredFile(
        survey_id=survey.id, sha256="0" * 64, size=1, path=f"{survey.id}.xlsx", original_name="a.xlsx"
    )
    session.add(stored)
    session.flush()
    action.survey_id, action.n, action.opened_file_id = survey.id, 1, stored.id
    action.workflow_id = f"capa-C1-{supplier.supplier_id}-1"
    session.add(action)
    return survey.id
