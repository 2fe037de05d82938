"""Record activities: every case transition writes the case row and its audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Executor
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.blocking import Blocking
from activities.errors import missing_row
from models.audit import AuditEvent
from models.base import utcnow
from models.campaign import Campaign
from models.enums import ActivityName, CampaignStatus, Stage
from models.messages import Transition
from models.survey import Survey

_SNAPSHOT = ("stage", "due_at", "reminders_sent", "fix_rounds", "risk", "exempt_reason", "last_file_id")


def snapshot(survey: Survey) -> dict[str, Any]:
    """The audited fields of a case, JSON-ready."""
    out: dict[str, Any] = {}
    for name in _SNAPSHOT:
        value = getattr(survey, name)
        out[name] = value.isoformat() if isinstance(value, dt.datetime | dt.date) else value
    return out


def already_recorded(session: Session, key: str) -> bool:
    """True when an audit event with this idempotency key exists (the activity ran before)."""
    return session.scalar(select(AuditEvent.id).where(AuditEvent.idempotency_key == key)) is not None


def apply_transition(session: Session, change: Transition) -> bool:
    """Apply a transition to its case row with its audit event, in the caller's transaction; False when
    its key was recorded before (nothing written)."""
    if already_recorded(session, change.key):
        return False
    survey = session.get(Survey, change.survey_id, with_for_update=True)
    if survey is None:
        raise missing_row(f"survey {change.survey_id}")
    before = snapshot(survey)
    now = utcnow()
    survey.stage = change.stage.value
    survey.due_at = change.due_at
    survey.reminders_sent = change.reminders_sent
    survey.fix_rounds = change.fix_rounds
    survey.risk = change.risk
    survey.exempt_reason = change.exempt_reason
    survey.last_file_id = change.last_file_id
    if change.stage == Stage.REQUESTED and survey.requested_at is None:
        survey.requested_at = now
    if change.stage == Stage.CHECKING and survey.responded_at is None:
        survey.responded_at = now
    survey.closed_at = now if change.stage.final else None
    after = snapshot(survey)
    if change.note:
        after["note"] = change.note
    session.add(
        AuditEvent(
            at=now,
            actor=change.actor,
            action=change.action,
            subject=f"survey:{survey.id}",
            before=before,
            after=after,
            idempotency_key=change.key,
        )
    )
    return True


class RecordActivities:
    """Writes case transitions and campaign status; the session factory is injected."""

    def __init__(self, sessions: sessionmaker[Session], executor: Executor | None = None) -> None:
        self._sessions = sessions
        self._blocking = Blocking(executor)

    @activity.defn(name=ActivityName.RECORD_TRANSITION)
    async def record_transition(self, change: Transition) -> None:
        """Apply a transition to the case row and append its audit event, exactly once per key."""
        await self._blocking(self.apply, change)

    @activity.defn(name=ActivityName.RECORD_CAMPAIGN)
    async def record_campaign(self, campaign_id: int, status: str) -> None:
        """Set a campaign's status with an audit event (no-op when it already has that status)."""
        await self._blocking(self.set_campaign_status, campaign_id, CampaignStatus(status))

    def apply(self, change: Transition) -> None:
        """Write one transition (blocking; used by the activity)."""
        with self._sessions.begin() as session:
            apply_transition(session, change)

    def set_campaign_status(self, campaign_id: int, wanted: CampaignStatus) -> None:
        """Write a campaign's status (blocking; used by the activity)."""
        with self._sessions.begin() as session:
            campaign = session.get(Campaign, campaign_id, with_for_update=True)
            if campaign is None:
                raise missing_row(f"campaign {campaign_id}")
            if campaign.status == wanted:
                return
            before = {"status": campaign.status}
            campaign.status = wanted.value
            if wanted == CampaignStatus.STARTING and campaign.started_at is None:
                campaign.started_at = utcnow()
            session.add(
                AuditEvent(
                    actor="system",
                    action=f"campaign.{wanted.value}",
                    subject=f"campaign:{campaign.id}",
                    before=before,
                    after={"status": wanted.value},
                )
            )
