"""The dashboard: Today's queues (what needs a person, the signed-in owner's or the team's) above each
campaign's progress, counted in SQL: invited, responded, complete (accepted or risk found), with risk,
exempted, closed without an answer, and its emails that are not sent or bounced."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases.today import today
from console.render import page
from console.security import Staff, require
from console.state import state
from models.campaign import Campaign
from models.enums import Stage
from models.outbox import faults_by_campaign, outbox_health
from models.survey import Survey
from models.users import Role

router = APIRouter()
CAMPAIGNS_SHOWN = 4  # campaign cards a page: each card's counts walk its cases
Viewer = Annotated[Staff, Depends(require(Role.VIEWER))]

COMPLETE = (Stage.ACCEPTED.value, Stage.RISK_FOUND.value)


@dataclass(frozen=True)
class Progress:
    """One campaign's counts."""

    name: str
    template: str
    status: str
    due: str
    cases: int
    invited: int
    responded: int
    complete: int
    with_risk: int
    exempted: int
    closed: int  # closed by staff without an accepted answer (risk found is complete, not closed)
    unsent: int = 0  # emails not sent yet (the relay is down or refuses for now)
    bounced: int = 0  # emails the relay refused for good

    @property
    def response_rate(self) -> float:
        """Responded over invited (0 before anyone is invited)."""
        return self.responded / self.invited if self.invited else 0.0

    def share(self, count: int) -> float:
        """A count as a percentage of all cases, for the bars."""
        return round(100 * count / self.cases, 1) if self.cases else 0.0


def _stage_counts(session: Session, campaign_ids: list[int]) -> dict[int, list[int]]:
    """[cases, invited, responded, complete, with risk, exempted, closed] of each campaign, from counts
    per campaign and stage (an in-order walk of the covering progress index, no expression per row)."""
    counts = (
        select(
            Survey.campaign_id,
            Survey.stage,
            func.count(),
            func.count(Survey.requested_at),
            func.count(Survey.responded_at),
        )
        .where(Survey.campaign_id.in_(campaign_ids))
        .group_by(Survey.campaign_id, Survey.stage)
    )
    made: dict[int, list[int]] = {}
    for cid, stage, cases, invited, responded in session.execute(counts):
        row = made.setdefault(cid, [0] * 7)
        row[0] += cases
        row[1] += invited
        row[2] += responded
        row[3] += cases if stage in COMPLETE else 0
        row[4] += cases if stage == Stage.RISK_FOUND else 0
        row[5] += cases if stage == Stage.EXEMPTED else 0
        row[6] += cases if stage == Stage.CLOSED else 0
    return made


def campaign_progress(session: Session, page: int = 1, size: int = 4) -> tuple[list[Progress], bool]:
    """Progress of one page of `size` campaigns, newest first, counted from the covering progress index
    for just those campaigns; and whether older campaigns follow."""
    listed = select(Campaign.id, Campaign.name, Campaign.template, Campaign.status, Campaign.due_date)
    campaigns = session.execute(
        listed.order_by(Campaign.id.desc()).offset((page - 1) * size).limit(size + 1)
    ).all()
    more = len(campaigns) > size
    campaigns = campaigns[:size]
    by_campaign = _stage_counts(session, [c[0] for c in campaigns])
    faults = faults_by_campaign(session)
    made = []
    for cid, name, template, status, due in campaigns:
        unsent, bounced = faults.get(cid, (0, 0))
        cases, invited, responded, complete, with_risk, exempted, closed = by_campaign.get(cid, [0] * 7)
        made.append(
            Progress(
                name,
                template,
                status,
                due.isoformat(),
                cases,
                invited,
                responded,
                complete,
                with_risk,
                exempted,
                closed,
                unsent,
                bounced,
            )
        )
    return made, more


@router.get("/", response_class=HTMLResponse)
def dashboard(
    request: Request, staff: Viewer, scope: str = "", campaigns: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    """Today's queues (the signed-in staff member's, or the team's with scope=team), the campaigns'
    progress and response rate (CAMPAIGNS_SHOWN a page, newest first), and what is wrong with the emails."""
    team = scope == "team"
    with state(request).sessions() as session:
        queues = today(session, "" if team else staff.email)
        progress, more = campaign_progress(session, campaigns, CAMPAIGNS_SHOWN)
        emails = outbox_health(session)
    context = {
        "staff": staff,
        "today": queues,
        "team": team,
        "campaigns": progress,
        "campaign_page": campaigns,
        "more_campaigns": more,
        "emails": emails,
    }
    return page(request, "dashboard.html", context)
