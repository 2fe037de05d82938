"""A case whose survey the campaign has not started yet: what to say, and when it is expected to start."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.campaign import Campaign
from models.enums import CampaignStatus, Stage
from models.survey import Survey


def not_started(
    session: Session, survey: Survey, campaign: Campaign, now: dt.datetime | None = None
) -> str | None:
    """Why the case has no request yet and when it will, or None once its first step is recorded."""
    if survey.stage != Stage.PENDING:
        return None
    if campaign.status == CampaignStatus.CREATED or campaign.started_at is None:
        return f"not started yet: campaign {campaign.name} has not started its surveys"
    if campaign.status != CampaignStatus.STARTING:
        return "not started yet: its survey is started and waits for a worker to send the request"
    of_campaign = Survey.campaign_id == campaign.id
    pending = Survey.stage == Stage.PENDING.value
    ahead = session.scalar(select(func.count()).where(of_campaign, pending, Survey.id < survey.id)) or 0
    done = session.scalar(select(func.count()).where(of_campaign, Survey.stage != Stage.PENDING.value)) or 0
    said = f"not started yet: campaign {campaign.name} is starting its surveys, {ahead} before this one"
    now = now or dt.datetime.now(dt.UTC)
    began = campaign.started_at if campaign.started_at.tzinfo else campaign.started_at.replace(tzinfo=dt.UTC)
    elapsed = (now - began).total_seconds()
    if not done or elapsed <= 0:
        return said
    wait = dt.timedelta(seconds=round((ahead + 1) * elapsed / done))
    return f"{said}; expected in about {_duration(wait)} (around {now + wait:%H:%M:%S} UTC)"


def _duration(span: dt.timedelta) -> str:
    seconds = int(span.total_seconds())
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
