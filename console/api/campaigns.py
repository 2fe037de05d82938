"""/campaigns: every campaign and one campaign's status (cases by stage, reminders paused or not)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import select

from cases.campaigns import (
    CampaignError,
    check_startable,
    find_campaign,
    hold_reminders,
    reminders_paused,
    stage_counts,
    tell_surveys,
)
from cases.case_view import iso
from cases.enrolment import start_campaign_workflow
from console.api.auth import Analyst, Viewer
from console.api.problems import Problem
from console.state import state
from models.campaign import Campaign
from models.enums import Stage

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


def campaign_row(campaign: Campaign) -> dict[str, Any]:
    """One campaign as listed."""
    return {
        "name": campaign.name,
        "template": campaign.template,
        "minerals": list(campaign.minerals),
        "status": campaign.status,
        "due_date": campaign.due_date.isoformat(),
        "surveys_started": campaign.surveys_started,
        "created_at": iso(campaign.created_at),
        "started_at": iso(campaign.started_at),
    }


@router.get("")
def campaigns(request: Request, caller: Viewer) -> dict[str, Any]:
    """Every campaign, newest first."""
    with state(request).sessions() as session:
        found = session.scalars(select(Campaign).order_by(Campaign.id.desc()))
        return {"items": [campaign_row(c) for c in found]}


@router.get("/{name}")
def status(request: Request, name: str, caller: Viewer) -> dict[str, Any]:
    """One campaign with its cases counted by stage."""
    with state(request).sessions() as session:
        try:
            campaign = find_campaign(session, name[:64])
        except CampaignError as exc:
            raise Problem(404, str(exc)) from None
        counts = stage_counts(session, campaign.id)
        paused = reminders_paused(session, campaign.id)
        return {
            **campaign_row(campaign),
            "cases": sum(counts.values()),
            "stages": dict(counts),
            "reminders_paused": paused,
        }


class HoldIn(BaseModel):
    """Why the reminders are paused or resumed (kept in the audit trail)."""

    reason: str = Field("", max_length=500)


def _startable(request: Request, name: str) -> Campaign:
    with state(request).sessions() as session:
        try:
            campaign = find_campaign(session, name[:64])
            if not stage_counts(session, campaign.id).get(Stage.PENDING.value):
                raise Problem(
                    409, f"campaign {name} has no enrolled supplier waiting to start", "nothing-to-start"
                )
            check_startable(session, campaign)
        except CampaignError as exc:
            raise Problem(409, str(exc), "not-startable") from None
        return campaign


@router.post("/{name}/start", status_code=202)
async def start(request: Request, name: str, caller: Analyst) -> dict[str, Any]:
    """Start (or resume starting) the campaign workflow: one survey, and one request email, per supplier."""
    campaign = await run_in_threadpool(_startable, request, name)
    client = await state(request).gateway.client()
    workflow_id = await start_campaign_workflow(client, state(request).settings, campaign)
    return {"campaign": campaign.name, "workflow_id": workflow_id, "started": True}


@router.post("/{name}/{change}")
async def hold(
    request: Request, name: str, change: Literal["pause", "resume"], body: HoldIn, caller: Analyst
) -> dict[str, Any]:
    """Pause or resume the reminders of every case of a started campaign; `untold` lists the surveys that
    could not be told (send it again)."""
    pause = change == "pause"
    try:
        held = await run_in_threadpool(
            hold_reminders, state(request).sessions, name, pause, caller.actor, body.reason
        )
    except CampaignError as exc:
        raise Problem(409 if "no campaign" not in str(exc) else 404, str(exc)) from None
    told, untold = await tell_surveys(await state(request).gateway.client(), held, caller.actor, body.reason)
    return {"campaign": name, "reminders_paused": pause, "told": told, "untold": untold}
