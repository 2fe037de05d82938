"""Each campaign's progress, counted in SQL: invited, responded, complete, with risk, closed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from models.campaign import Campaign
from models.enums import FINAL, Stage
from models.survey import Survey

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
    closed: int

    @property
    def response_rate(self) -> float:
        """Responded over invited (0 before anyone is invited)."""
        return self.responded / self.invited if self.invited else 0.0

    def share(self, count: int) -> float:
        """A count as a percentage of all cases, for the bars."""
        return round(100 * count / self.cases, 1) if self.cases else 0.0


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def campaign_progress(session: Session) -> list[Progress]:
    """Progress of every campaign, newest first (counted from the covering progress index)."""
    counts = select(
        Survey.campaign_id,
        func.count(),
        _count(Survey.requested_at.is_not(None)),
        _count(Survey.responded_at.is_not(None)),
        _count(Survey.stage.in_(COMPLETE)),
        _count(Survey.stage == Stage.RISK_FOUND.value),
        _count(Survey.stage.in_([s.value for s in FINAL])),
    ).group_by(Survey.campaign_id)
    by_campaign = {row[0]: [int(n) for n in row[1:]] for row in session.execute(counts).all()}
    campaigns = session.execute(
        select(Campaign.id, Campaign.name, Campaign.template, Campaign.status, Campaign.due_date).order_by(
            Campaign.id.desc()
        )
    ).all()
    return [
        Progress(name, template, status, due.isoformat(), *by_campaign.get(cid, [0] * 6))
        for cid, name, template, status, due in campaigns
    ]
