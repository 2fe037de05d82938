"""A campaign as staff see and steer it: counts by stage, who is enrolled, and pausing or resuming the
reminders of every open case (the pause is audited on the campaign, then told to each survey). CLI and
console."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from models.audit import AuditEvent
from models.campaign import Campaign
from models.enums import CampaignStatus, Stage
from models.messages import HoldReminders
from models.survey import Survey

PAUSED, RESUMED = "campaign.reminders-paused", "campaign.reminders-resumed"
SIGNALS_AT_ONCE = 50


class CampaignError(ValueError):
    """The campaign cannot do this now; the message says why."""


@dataclass(frozen=True)
class Hold:
    """A pause or resume asked of a campaign, and the survey workflows to tell."""

    campaign: str
    pause: bool
    workflows: list[str] = field(default_factory=list)

    @property
    def signal(self) -> str:
        """The survey workflow's signal for it."""
        return "pause_reminders" if self.pause else "resume_reminders"


def find_campaign(session: Session, name: str) -> Campaign:
    """The campaign of this name, or CampaignError naming the campaigns there are."""
    campaign = session.scalar(select(Campaign).where(Campaign.name == name))
    if campaign is None:
        known = ", ".join(session.scalars(select(Campaign.name).order_by(Campaign.id))) or "none yet"
        raise CampaignError(f"no campaign named {name!r} (campaigns: {known})")
    return campaign


def stage_counts(session: Session, campaign_id: int) -> Counter[str]:
    """How many cases of a campaign are in each stage."""
    query = select(Survey.stage, func.count()).where(Survey.campaign_id == campaign_id).group_by(Survey.stage)
    return Counter({stage: count for stage, count in session.execute(query)})


def reminders_paused(session: Session, campaign_id: int) -> bool:
    """True when staff last paused the campaign's reminders (and have not resumed them since)."""
    last = session.scalar(
        select(AuditEvent.action)
        .where(AuditEvent.subject == f"campaign:{campaign_id}", AuditEvent.action.in_((PAUSED, RESUMED)))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return last == PAUSED


def check_startable(session: Session, campaign: Campaign) -> None:
    """CampaignError when the campaign must not start more surveys now: while its reminders are paused, new
    cases would start unpaused."""
    if reminders_paused(session, campaign.id):
        raise CampaignError(
            f"campaign {campaign.name}'s reminders are paused: resume them before starting more suppliers, "
            "or their cases would remind while the others wait"
        )


def hold_reminders(
    factory: sessionmaker[Session], name: str, pause: bool, actor: str, reason: str = ""
) -> Hold:
    """Record a pause (or resume) of the campaign's reminders, audited; says which surveys to tell."""
    with factory.begin() as session:
        campaign = find_campaign(session, name)
        if campaign.status != CampaignStatus.STARTED:
            pending = stage_counts(session, campaign.id).get(Stage.PENDING.value, 0)
            raise CampaignError(
                f"campaign {name} is {campaign.status}: its reminders can be paused once all its surveys "
                f"have started ({pending} not yet)"
            )
        # Recorded even when already so: doing it again reaches the surveys a first try could not.
        session.add(
            AuditEvent(
                actor=actor,
                action=PAUSED if pause else RESUMED,
                subject=f"campaign:{campaign.id}",
                after={"campaign": name, "reason": reason},
            )
        )
        # Every case, finished ones too: one reopened later keeps the campaign's pause (or its resume).
        workflows = session.scalars(
            select(Survey.workflow_id).where(Survey.campaign_id == campaign.id).order_by(Survey.id)
        ).all()
    return Hold(name, pause, list(workflows))


async def tell_surveys(client: Client, hold: Hold, actor: str, reason: str = "") -> tuple[int, list[str]]:
    """Signal the pause (or resume) to each survey, SIGNALS_AT_ONCE at a time; returns (told, problems). A
    survey whose workflow has ended has no reminders left and is not a problem."""
    change = HoldReminders(actor=actor, reason=reason)
    gate = asyncio.Semaphore(SIGNALS_AT_ONCE)

    async def tell(workflow_id: str) -> str:
        """Empty when told, "-" when its workflow has ended, else the problem."""
        async with gate:
            try:
                await client.get_workflow_handle(workflow_id).signal(hold.signal, change)
            except RPCError as exc:
                return "-" if exc.status == RPCStatusCode.NOT_FOUND else f"{workflow_id}: {exc.message}"
            return ""

    outcomes = await asyncio.gather(*(tell(w) for w in hold.workflows))
    return outcomes.count(""), [p for p in outcomes if p not in ("", "-")]
