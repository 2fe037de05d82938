"""What the KPI report says of continuous due diligence: the year's smelter outreach, and the audits of
declared smelters that end soon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.outreach import engagement_figures
from models.assessment import AssessedRow, Assessment
from risk.config import RiskConfig
from risk.registry import Registry

SHOWN = 10  # expiring audits named in the note


def engagement(
    session: Session, survey_ids: list[int], as_of: dt.date, registry: Registry, config: RiskConfig
) -> dict[str, Any]:
    """The outreach of the report's year up to its date, and the declared facilities whose audit ends
    within the warning window after it."""
    figures = engagement_figures(session, dt.date(as_of.year, 1, 1), as_of)
    named = set()
    for start in range(0, len(survey_ids), 5000):
        batch = survey_ids[start : start + 5000]
        named |= set(
            session.scalars(
                select(AssessedRow.matched_id)
                .join(Assessment, Assessment.id == AssessedRow.assessment_id)
                .where(Assessment.current.is_(True), Assessment.survey_id.in_(batch))
                .distinct()
            )
        )
    expiring = []
    for cid in sorted(c for c in named if c):
        status = registry.status(cid)
        ends = status.audit_ends if status else None
        if (
            status
            and ends
            and status.status in config.accepted_statuses
            and as_of <= ends <= as_of + config.audit_warning
        ):
            facility = registry.facilities.get(cid)
            expiring.append(
                {
                    "smelter_id": cid,
                    "name": facility.name if facility else cid,
                    "audit_ends": ends.isoformat(),
                }
            )
    return {**figures, "expiring": expiring}


def engagement_notes(found: dict[str, Any], as_of: dt.date, config: RiskConfig) -> list[str]:
    """The notes under the KPI table."""
    notes = [
        f"Smelter outreach in {as_of.year} up to the report date: {found['engaged']} facilities engaged, "
        f"{found['letters']} letters sent (RMAP invitations and follow-ups), {found['moved']} facilities "
        "moved to Active or Conformant while engaged."
    ]
    expiring = found["expiring"]
    if expiring:
        listed = ", ".join(f"{e['smelter_id']} {e['name']} ({e['audit_ends']})" for e in expiring[:SHOWN])
        more = f" and {len(expiring) - SHOWN} more" if len(expiring) > SHOWN else ""
        notes.append(
            f"Audits ending within {config.audit_warning_days} days of the report date "
            f"(smelter-audit-expiring): {listed}{more}."
        )
    return notes
