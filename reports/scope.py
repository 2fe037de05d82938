"""Who a report covers: the campaigns chosen, their cases as of the report date, and what each declared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.campaign import Campaign
from models.enums import CheckStatus, Stage
from models.files import StoredFile
from models.scope_plan import PlannedSupplier, ScopePlan
from models.supplier import Supplier
from models.survey import Finding, Survey
from reports.declared import Declared, chunks, load_declared

THREE_TG = ("Tantalum", "Tin", "Gold", "Tungsten")
GROUPS: dict[str, tuple[str, ...]] = {"3TG": THREE_TG, "Cobalt/mica": ("Cobalt", "Mica")}
OTHER_GROUP = "Other minerals"
# The minerals a campaign covers when it names none: the family's fixed list.
FAMILY_MINERALS: dict[str, tuple[str, ...]] = {
    "CMRT": THREE_TG,
    "EMRT": ("Cobalt", "Mica"),
    "CRT": ("Cobalt",),
    "AMRT": (),
}


def group_of(metal: str) -> str:
    """The mineral group a metal is reported under."""
    return next((g for g, metals in GROUPS.items() if metal in metals), OTHER_GROUP)


def campaign_minerals(campaign: Campaign) -> tuple[str, ...]:
    """The minerals a campaign asks about: its own list, else its template family's."""
    return tuple(campaign.minerals) or FAMILY_MINERALS.get(campaign.template, ())


@dataclass
class Case:
    """One supplier's survey in one campaign, as it stood at the end of the report date."""

    survey_id: int
    campaign: Campaign
    supplier: Supplier
    stage: str
    responded_at: dt.datetime | None  # None when the first upload came after the report date
    declared: Declared | None = None  # the last complete upload on or before the report date
    finding_metals: set[str] = field(default_factory=set)  # metals named by that upload's findings
    planned: tuple[str, ...] = ()  # the minerals its campaign's plan gave this supplier

    @property
    def minerals(self) -> tuple[str, ...]:
        """The minerals this case is in scope for: its plan's, else its campaign's."""
        return self.planned or campaign_minerals(self.campaign)

    @property
    def under_corrective_action(self) -> bool:
        """True when risk was found and the case is not closed (a corrective action is open)."""
        return self.stage == Stage.RISK_FOUND


@dataclass
class Scope:
    """The cases a report counts, and the date it counts them at."""

    as_of: dt.date
    campaigns: list[Campaign]
    cases: list[Case]


class UnknownCampaign(LookupError):
    """A campaign reference that names no campaign."""


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after `day` (UTC): everything before it counts for a report of that day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)


def find_campaigns(session: Session, refs: Sequence[str]) -> list[Campaign]:
    """Campaigns by id or name; with none given, the latest campaign of each template family."""
    campaigns = list(session.scalars(select(Campaign).order_by(Campaign.created_at, Campaign.id)))
    if not refs:
        latest = {c.template: c for c in campaigns}
        return sorted(latest.values(), key=lambda c: c.id)
    chosen = []
    for ref in refs:
        match = next((c for c in campaigns if c.name == ref or str(c.id) == ref), None)
        if match is None:
            known = ", ".join(c.name for c in campaigns) or "none yet"
            raise UnknownCampaign(f"no campaign {ref!r} (campaigns: {known})")
        if match not in chosen:
            chosen.append(match)
    return chosen


def _stages_on(session: Session, surveys: list[Survey], end: dt.datetime) -> dict[int, str]:
    """Each case's stage at `end`, replayed from its audit events (the current stage when it has none)."""
    stages = {s.id: s.stage for s in surveys}
    if end > dt.datetime.now(dt.UTC):
        return stages
    subjects = {f"survey:{s.id}": s.id for s in surveys}
    events: list[Any] = []
    for batch in chunks(s.id for s in surveys):
        events += session.execute(
            select(
                AuditEvent.subject, AuditEvent.at, AuditEvent.before, AuditEvent.after, AuditEvent.id
            ).where(AuditEvent.subject.in_([f"survey:{i}" for i in batch]))
        ).all()
    events.sort(key=lambda e: (_utc(e.at), e.id))
    seen: set[int] = set()
    for subject, at, before, after, _ in events:
        survey_id = subjects[subject]
        if _utc(at) < end:
            if after and "stage" in after:
                stages[survey_id] = after["stage"]
        elif survey_id not in seen and before and "stage" in before:
            stages[survey_id] = before["stage"]  # its first change after the date: the stage before
        seen.add(survey_id)
    return stages


def _last_complete(session: Session, campaign_ids: list[int], end: dt.datetime) -> dict[int, int]:
    """survey id -> id of its last completely filled upload stored before `end`."""
    files = session.execute(
        select(StoredFile.survey_id, StoredFile.id, StoredFile.created_at)
        .join(Survey, Survey.id == StoredFile.survey_id)
        .where(Survey.campaign_id.in_(campaign_ids), StoredFile.check_status == CheckStatus.COMPLETE)
        .order_by(StoredFile.created_at, StoredFile.id)
    )
    return {
        survey_id: file_id
        for survey_id, file_id, created in files
        if survey_id is not None and _utc(created) < end
    }


def planned_minerals(session: Session, campaign_ids: list[int]) -> dict[tuple[int, str], tuple[str, ...]]:
    """(campaign id, supplier id) -> the minerals the campaign's plan gave that supplier."""
    rows = session.execute(
        select(ScopePlan.campaign_id, PlannedSupplier.supplier_key, PlannedSupplier.minerals)
        .join(PlannedSupplier, PlannedSupplier.plan_id == ScopePlan.id)
        .where(ScopePlan.campaign_id.in_(campaign_ids))
    )
    return {(c, key): tuple(minerals) for c, key, minerals in rows if c is not None}


def load_scope(session: Session, campaigns: list[Campaign], as_of: dt.date, file_store: Path | None) -> Scope:
    """The cases of these campaigns at the end of `as_of`: exempted cases and later enrolments left out."""
    end = end_of(as_of)
    ids = [c.id for c in campaigns]
    surveys = [
        s
        for s in session.scalars(select(Survey).where(Survey.campaign_id.in_(ids)).order_by(Survey.id))
        if _utc(s.created_at) < end
    ]
    stages = _stages_on(session, surveys, end)
    files = _last_complete(session, ids, end)
    declared = load_declared(session, files.values(), file_store)
    finding_metals: dict[int, set[str]] = {}
    for batch in chunks(files.values()):
        for file_id, metal in session.execute(
            select(Finding.file_id, Finding.metal).where(Finding.file_id.in_(batch))
        ):
            if file_id is not None and metal:
                finding_metals.setdefault(file_id, set()).add(metal)
    suppliers = {
        s.id: s
        for s in session.scalars(
            select(Supplier)
            .join(Survey, Survey.supplier_id == Supplier.id)
            .where(Survey.campaign_id.in_(ids))
        )
    }
    by_id = {c.id: c for c in campaigns}
    planned = planned_minerals(session, ids)
    cases = []
    for s in surveys:
        if stages[s.id] == Stage.EXEMPTED:
            continue
        responded = s.responded_at if s.responded_at and _utc(s.responded_at) < end else None
        file_id = files.get(s.id)
        cases.append(
            Case(
                survey_id=s.id,
                campaign=by_id[s.campaign_id],
                supplier=suppliers[s.supplier_id],
                stage=stages[s.id],
                responded_at=responded,
                declared=declared.get(file_id) if file_id is not None else None,
                finding_metals=finding_metals.get(file_id, set()) if file_id is not None else set(),
                planned=planned.get((s.campaign_id, suppliers[s.supplier_id].supplier_id), ()),
            )
        )
    return Scope(as_of, campaigns, cases)
