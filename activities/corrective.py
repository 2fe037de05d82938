"""Corrective-action activities: plan actions from findings; record each change with its audit event."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.blocking import Blocking
from activities.errors import missing_row
from activities.outreach import engage, not_conformant_in
from models.audit import AuditEvent
from models.base import utcnow
from models.corrective import ActionEvent, ActionEvidence, CorrectiveAction
from models.enums import ActionStatus, ActivityName
from models.messages import ActionChange, ActionPlan, PlanActions
from models.refresh_messages import OutreachInput
from models.supplier import Supplier
from models.survey import Finding, Survey
from risk.actions import ActionGroup, finding_record, group_findings, load_due_after

OPEN = (ActionStatus.OPEN.value, ActionStatus.REJECTED.value)
_SNAPSHOT = ("status", "due_at", "owner", "follow_ups", "justification")


def snapshot(action: CorrectiveAction) -> dict[str, Any]:
    """The audited fields of an action, JSON-ready."""
    out: dict[str, Any] = {}
    for name in _SNAPSHOT:
        value = getattr(action, name)
        out[name] = value.isoformat() if isinstance(value, dt.datetime) else value
    return out


class CorrectiveActivities:
    """Writes corrective actions; the session factory and the due-date configuration are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: Path | None = None,
        executor: Executor | None = None,
        email_queue: str | None = None,
    ) -> None:
        self._email_queue = email_queue  # where the outreach it starts sends its letters
        self._sessions = sessions
        self.sessions = sessions  # the activities of a registry refresh share them (activities_of)
        self._blocking = Blocking(executor)
        self._config = config  # <data dir>/actions.json: {"due_days": {"high": 30, ...}}

    @activity.defn(name=ActivityName.PLAN_ACTIONS)
    async def plan_actions(self, req: PlanActions) -> list[ActionPlan]:
        """Open an action per new finding group of the file; count what remains of the open ones. Each
        facility that is a not-conformant finding gets an outreach workflow (unless one ran already)."""
        plans = await self._blocking(self.plan, req)
        client, queue = activity.client(), activity.info().task_queue
        for cid in await self._blocking(self.not_conformant, req.file_id):
            reason = f"a not-conformant finding on case {req.survey_id}"
            await engage(
                client, queue, OutreachInput(smelter_id=cid, reason=reason, email_queue=self._email_queue)
            )
        return plans

    def not_conformant(self, file_id: int) -> list[str]:
        """The facilities a file names that are not conformant (blocking)."""
        with self._sessions() as session:
            return not_conformant_in(session, file_id)

    @activity.defn(name=ActivityName.RECORD_ACTION)
    async def record_action(self, change: ActionChange) -> None:
        """Apply a change to an action with its timeline entry and audit event, once per key."""
        await self._blocking(self.apply, change)

    def plan(self, req: PlanActions) -> list[ActionPlan]:
        """Plan (blocking); running it again for the same file gives the same answer."""
        due_after = load_due_after(self._config)
        with self._sessions.begin() as session:
            survey = session.get(Survey, req.survey_id)
            if survey is None:
                raise missing_row(f"survey {req.survey_id}")
            supplier = session.get(Supplier, survey.supplier_id)
            owner = supplier.owner_email if supplier and supplier.owner_email else None
            rows = session.scalars(
                select(Finding).where(Finding.file_id == req.file_id).order_by(Finding.id)
            ).all()
            groups = {
                g.key: g
                for g in group_findings(
                    finding_record(f.code, f.severity, f.metal, f.smelter_id, f.message) for f in rows
                )
            }
            actions = session.scalars(
                select(CorrectiveAction)
                .where(CorrectiveAction.survey_id == survey.id)
                .order_by(CorrectiveAction.n)
            ).all()
            plans: list[ActionPlan] = []
            live = {a.group_key: a for a in actions if a.status in OPEN or _opened_by(a, req)}
            for action in live.values():
                group = groups.get(action.group_key)
                new = _opened_by(action, req)
                if group is not None and not new:
                    action.findings = group.findings
                plans.append(self._plan_of(action, new, group, due_after, owner))
            n = max((a.n for a in actions), default=0)
            for key, group in groups.items():
                if key in live or not group.unmet:  # nothing to ask of the supplier: no action
                    continue
                n += 1
                action = _open(session, survey.id, req, n, group, owner)
                plans.append(self._plan_of(action, True, group, due_after, owner))
        return plans

    @staticmethod
    def _plan_of(
        action: CorrectiveAction,
        new: bool,
        group: ActionGroup | None,
        due_after: dict[str, dt.timedelta],
        owner: str | None,
    ) -> ActionPlan:
        return ActionPlan(
            action_id=action.id,
            n=action.n,
            workflow_id=action.workflow_id,
            new=new,
            remaining=len(group.unmet) if group else 0,
            due_after=due_after[action.severity],
            owner=action.owner or owner,
            severity=action.severity,
        )

    def apply(self, change: ActionChange) -> None:
        """Write one change (blocking)."""
        with self._sessions.begin() as session:
            if session.scalar(select(ActionEvent.id).where(ActionEvent.idempotency_key == change.key)):
                return
            action = session.get(CorrectiveAction, change.action_id, with_for_update=True)
            if action is None:
                raise missing_row(f"corrective action {change.action_id}")
            before = snapshot(action)
            now = utcnow()
            action.status = change.status.value
            if change.due_at is not None:  # None: as recorded
                action.due_at = change.due_at
            action.owner = change.owner or action.owner
            if change.follow_ups is not None:
                action.follow_ups = change.follow_ups
            if change.event in ("action.waived", "action.accepted", "action.rejected") and change.note:
                action.justification = change.note
            if change.status == ActionStatus.RESOLVED:
                action.resolved_file_id = change.file_id
            action.closed_at = now if change.status.closed else None
            if change.review is not None:
                pending = select(ActionEvidence).where(
                    ActionEvidence.action_id == action.id, ActionEvidence.review == "pending"
                )
                for evidence in session.scalars(pending):
                    evidence.review = change.review
            if change.evidence is not None and change.file_id is not None:
                session.add(
                    ActionEvidence(
                        action_id=action.id,
                        file_id=change.file_id,
                        kind=change.evidence,
                        submitted_by=change.actor,
                        note=change.note,
                        review="accepted" if change.status == ActionStatus.RESOLVED else "pending",
                    )
                )
            session.add(
                ActionEvent(
                    action_id=action.id,
                    at=now,
                    actor=change.actor,
                    event=change.event,
                    note=change.note,
                    file_id=change.file_id,
                    idempotency_key=change.key,
                )
            )
            after = snapshot(action)
            if change.note:
                after["note"] = change.note
            if change.file_id is not None:
                after["file_id"] = change.file_id
            session.add(
                AuditEvent(
                    at=now,
                    actor=change.actor,
                    action=change.event,
                    subject=f"action:{action.id}",
                    before=before,
                    after=after,
                    idempotency_key=change.key,
                )
            )


def _opened_by(action: CorrectiveAction, req: PlanActions) -> bool:
    """True when this planning opened the action: the same upload, or the same refresh's assessment."""
    if req.assessment_id is not None:
        return action.opened_assessment_id == req.assessment_id
    return action.opened_file_id == req.file_id and action.opened_assessment_id is None


def _open(
    session: Session, survey_id: int, req: PlanActions, n: int, group: ActionGroup, owner: str | None
) -> CorrectiveAction:
    action = CorrectiveAction(
        survey_id=survey_id,
        n=n,
        workflow_id=f"{req.prefix}-{n}",
        kind=group.kind,
        group_key=group.key,
        metal=group.metal,
        severity=group.severity,
        required_outcome=group.required_outcome,
        owner=owner,
        status=ActionStatus.OPEN.value,
        findings=group.findings,
        opened_file_id=req.file_id,
        opened_assessment_id=req.assessment_id,
    )
    session.add(action)
    session.flush()
    session.add(
        AuditEvent(
            actor="system",
            action="action.planned",
            subject=f"action:{action.id}",
            after={
                "survey_id": survey_id,
                "n": n,
                "kind": group.kind,
                "severity": group.severity,
                "findings": len(group.findings),
                "file_id": req.file_id,
            },
        )
    )
    return action
