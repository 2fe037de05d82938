"""Create a campaign, enrol its suppliers (one pending survey each), idempotently, and start its workflow.
CLI and console."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from models.audit import AuditEvent
from models.campaign import Campaign
from models.enums import Stage, TemplateFamily
from models.messages import KEY_PATTERN, CampaignInput
from models.settings import Settings, parse_duration
from models.supplier import Supplier
from models.survey import Survey
from workflows import CampaignWorkflow, campaign_workflow_id
from workflows.survey import survey_workflow_id

_KEY = re.compile(KEY_PATTERN)


class CampaignConflict(ValueError):
    """A campaign with this name exists with other parameters."""


@dataclass(frozen=True)
class CampaignPlan:
    """What `campaign start` asks for."""

    name: str
    template: TemplateFamily
    due_at: dt.datetime
    reminder_every: str
    reminders: int
    escalation_after: str
    page_size: int
    minerals: tuple[str, ...] = ()


def plan_of(campaign: Campaign) -> CampaignPlan:
    """The plan of an existing campaign, to enrol more suppliers: due at the end of its due date (UTC)."""
    return CampaignPlan(
        name=campaign.name,
        template=TemplateFamily(campaign.template),
        due_at=dt.datetime.combine(campaign.due_date, dt.time(23, 59, 59), dt.UTC),
        reminder_every=campaign.reminder_every,
        reminders=campaign.reminders,
        escalation_after=campaign.escalation_after,
        page_size=campaign.page_size,
        minerals=tuple(campaign.minerals or ()),
    )


def check_plan(plan: CampaignPlan, now: dt.datetime | None = None) -> None:
    """Raise ValueError with a plain message when the plan cannot run."""
    if not _KEY.match(plan.name):
        raise ValueError(f"campaign name {plan.name!r} may hold only letters, digits, . _ - (max 64)")
    if plan.due_at <= (now or dt.datetime.now(dt.UTC)):
        raise ValueError(f"the due date {plan.due_at:%Y-%m-%d %H:%M} UTC is in the past")
    parse_duration(plan.reminder_every)
    parse_duration(plan.escalation_after)
    if not 0 <= plan.reminders <= 50:
        raise ValueError("--reminders must be between 0 and 50")


def enrol(
    factory: sessionmaker[Session], plan: CampaignPlan, supplier_ids: Sequence[str], actor: str = "system"
) -> tuple[Campaign, int]:
    """Create (or reuse) the campaign and add a pending survey per new supplier, audited; returns
    (campaign, added)."""
    with factory.begin() as session:
        campaign = session.scalar(select(Campaign).where(Campaign.name == plan.name))
        if campaign is None:
            campaign = Campaign(
                name=plan.name,
                template=plan.template.value,
                minerals=list(plan.minerals),
                due_date=plan.due_at.date(),
                reminder_every=plan.reminder_every,
                reminders=plan.reminders,
                escalation_after=plan.escalation_after,
                page_size=plan.page_size,
            )
            session.add(campaign)
            session.flush()
            after = {
                "name": plan.name,
                "template": plan.template.value,
                "due_at": plan.due_at.isoformat(),
                "minerals": list(plan.minerals),
                "reminder_every": plan.reminder_every,
                "reminders": plan.reminders,
                "escalation_after": plan.escalation_after,
            }
            subject = f"campaign:{campaign.id}"
            session.add(AuditEvent(actor=actor, action="campaign.created", subject=subject, after=after))
        elif campaign.template != plan.template.value:
            raise CampaignConflict(
                f"campaign {plan.name!r} already exists for {campaign.template}; choose another name"
            )
        suppliers = _suppliers(session, supplier_ids)
        enrolled = set(session.scalars(select(Survey.supplier_id).where(Survey.campaign_id == campaign.id)))
        new = [
            Survey(
                campaign_id=campaign.id,
                supplier_id=supplier.id,
                workflow_id=survey_workflow_id(plan.name, supplier.supplier_id),
                stage=Stage.PENDING.value,
                due_at=plan.due_at,
            )
            for supplier in suppliers
            if supplier.id not in enrolled
        ]
        session.add_all(new)
        session.flush()
        for survey, supplier_id in zip(
            new, [s.supplier_id for s in suppliers if s.id not in enrolled], strict=True
        ):
            after = {"campaign": plan.name, "supplier_id": supplier_id, "due_at": plan.due_at.isoformat()}
            session.add(
                AuditEvent(
                    actor=actor, action="campaign.enrolled", subject=f"survey:{survey.id}", after=after
                )
            )
    return campaign, len(new)


def _suppliers(session: Session, supplier_ids: Sequence[str]) -> list[Supplier]:
    found: dict[str, Supplier] = {}
    for start in range(0, len(supplier_ids), 500):
        chunk = supplier_ids[start : start + 500]
        found.update(
            (s.supplier_id, s)
            for s in session.scalars(select(Supplier).where(Supplier.supplier_id.in_(chunk)))
        )
    missing = [s for s in supplier_ids if s not in found]
    if missing:
        raise CampaignConflict(f"unknown supplier ids: {', '.join(missing[:10])}")
    return [found[s] for s in supplier_ids]


async def start_campaign_workflow(client: Client, settings: Settings, campaign: Campaign) -> str:
    """Start (or join) the campaign workflow; starting twice is a no-op."""
    handle = await client.start_workflow(
        CampaignWorkflow.run,
        CampaignInput(campaign_id=campaign.id, name=campaign.name, page_size=campaign.page_size),
        id=campaign_workflow_id(campaign.name),
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    return handle.id
