"""Read models of corrective actions for the CLI: rows, timelines, case filters and smelter outreach."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, sessionmaker

from cases.case_view import iso
from models.audit import AuditEvent
from models.base import utcnow
from models.campaign import Campaign
from models.corrective import ActionEvent, ActionEvidence, CorrectiveAction, SmelterOutreach
from models.files import StoredFile
from models.registry import RegistryFacility
from models.supplier import Supplier
from models.survey import Finding, Survey
from risk.actions import SMELTERS

OPEN = ("open", "rejected")
_NUMBER = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def action_number(case: int, n: int) -> str:
    """How every interface names an action: its case and its place in the case, `12/1`."""
    return f"{case}/{n}"


def parse_action_number(text: str) -> tuple[int, int]:
    """`12/1` as (case 12, action 1); a ValueError that shows the form otherwise."""
    match = _NUMBER.match(text)
    if not match or int(match.group(1)) < 1 or int(match.group(2)) < 1:
        raise ValueError(
            f"{text!r} is not an action number; use CASE/N, e.g. 12/1 (see `minerals cases show`)"
        )
    return int(match.group(1)), int(match.group(2))


def find_action(session: Session, case: int, n: int) -> CorrectiveAction | None:
    """The action numbered `case/n`, if there is one."""
    query = select(CorrectiveAction).where(CorrectiveAction.survey_id == case, CorrectiveAction.n == n)
    return session.scalars(query).first()


def action_row(action: CorrectiveAction, now: dt.datetime | None = None) -> dict[str, Any]:
    """The summary of one action, as listed."""
    due = (
        action.due_at.replace(tzinfo=dt.UTC)
        if action.due_at and action.due_at.tzinfo is None
        else action.due_at
    )
    return {
        "id": action.id,
        "number": action_number(action.survey_id, action.n),
        "case": action.survey_id,
        "n": action.n,
        "kind": action.kind,
        "metal": action.metal,
        "severity": action.severity,
        "status": action.status,
        "owner": action.owner,
        "due_at": iso(due),
        "overdue": action.status in OPEN and due is not None and due < (now or utcnow()),
        "required_outcome": action.required_outcome,
        "findings": list(action.findings),
        "justification": action.justification,
        "follow_ups": action.follow_ups,
        "workflow_id": action.workflow_id,
    }


def actions_of_case(session: Session, survey_id: int) -> list[dict[str, Any]]:
    """Every action of a case with its timeline and evidence."""
    found = []
    query = (
        select(CorrectiveAction).where(CorrectiveAction.survey_id == survey_id).order_by(CorrectiveAction.n)
    )
    for action in session.scalars(query):
        row = action_row(action)
        # Each entry's audit event shares its idempotency key (recorded in the same transaction).
        timeline = (
            select(ActionEvent, AuditEvent.id)
            .outerjoin(AuditEvent, AuditEvent.idempotency_key == ActionEvent.idempotency_key)
            .where(ActionEvent.action_id == action.id)
            .order_by(ActionEvent.id)
        )
        row["timeline"] = [
            {
                "at": iso(e.at),
                "event": e.event,
                "actor": e.actor,
                "note": e.note,
                "file_id": e.file_id,
                "audit_id": audit_id,
            }
            for e, audit_id in session.execute(timeline)
        ]
        evidence = (
            select(ActionEvidence, StoredFile.original_name)
            .join(StoredFile, StoredFile.id == ActionEvidence.file_id)
            .where(ActionEvidence.action_id == action.id)
            .order_by(ActionEvidence.id)
        )
        row["evidence"] = [
            {"file_id": e.file_id, "kind": e.kind, "review": e.review, "note": e.note, "name": name}
            for e, name in session.execute(evidence)
        ]
        found.append(row)
    return found


def filter_cases(
    query: Select[Survey, Campaign, Supplier],
    *,
    open_actions: bool = False,
    overdue: bool = False,
    severity: str | None = None,
    owner: str | None = None,
    smelter: str | None = None,
    metal: str | None = None,
) -> Select[Survey, Campaign, Supplier]:
    """Narrow a case query to cases whose open actions (or latest findings) match."""
    conditions: list[ColumnElement[bool]] = []
    if open_actions or overdue or severity or owner:
        conditions.append(CorrectiveAction.status.in_(OPEN))
    if overdue:
        conditions.append(CorrectiveAction.due_at < utcnow())
    if severity:
        conditions.append(CorrectiveAction.severity == severity)
    if owner:
        conditions.append(CorrectiveAction.owner == owner)
    if conditions:
        query = query.where(Survey.id.in_(select(CorrectiveAction.survey_id).where(and_(*conditions))))
    latest = Finding.file_id == Survey.last_file_id
    if smelter:
        by_smelter = select(Finding.survey_id).where(latest, Finding.smelter_id == smelter)
        query = query.where(Survey.id.in_(by_smelter))
    if metal:
        query = query.where(Survey.id.in_(select(Finding.survey_id).where(latest, Finding.metal == metal)))
    return query


def outreach_list(session: Session, include_closed: bool = False) -> list[dict[str, Any]]:
    """Non-conformant smelters of actions, most dependent suppliers first, with their actions and outreach."""
    query = (
        select(CorrectiveAction, Supplier)
        .join(Survey, CorrectiveAction.survey_id == Survey.id)
        .join(Supplier, Survey.supplier_id == Supplier.id)
        .where(CorrectiveAction.kind == SMELTERS)
        .order_by(CorrectiveAction.id)
    )
    if not include_closed:
        query = query.where(CorrectiveAction.status.in_(OPEN))
    smelters: dict[str, dict[str, Any]] = {}
    for action, supplier in session.execute(query):
        for finding in action.findings:
            cid = finding.get("smelter_id")
            if not cid:
                continue
            entry = smelters.setdefault(
                cid, {"smelter_id": cid, "metal": finding.get("metal"), "dependents": []}
            )
            entry["dependents"].append(
                {
                    "supplier_id": supplier.supplier_id,
                    "supplier": supplier.name,
                    "action": action.id,
                    "number": action_number(action.survey_id, action.n),
                    "case": action.survey_id,
                    "status": action.status,
                }
            )
    for cid, entry in smelters.items():
        facility = session.get(RegistryFacility, cid)
        entry["name"] = facility.name if facility else None
        entry["suppliers"] = len({d["supplier_id"] for d in entry["dependents"]})
        entry["outreach"] = [
            {"at": iso(o.at), "actor": o.actor, "channel": o.channel, "note": o.note}
            for o in session.scalars(
                select(SmelterOutreach).where(SmelterOutreach.smelter_id == cid).order_by(SmelterOutreach.id)
            )
        ]
    return sorted(smelters.values(), key=lambda e: (-e["suppliers"], e["smelter_id"]))


def action_counts(factory: sessionmaker[Session], campaign_id: int) -> dict[str, int]:
    """The campaign's corrective actions counted by status."""
    query = (
        select(CorrectiveAction.status, func.count())
        .join(Survey, CorrectiveAction.survey_id == Survey.id)
        .where(Survey.campaign_id == campaign_id)
        .group_by(CorrectiveAction.status)
    )
    with factory() as session:
        return dict(session.execute(query).tuples().all())
