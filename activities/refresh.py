"""Registry refresh activities: find the cases a new status list concerns, judge them again from their
stored matches, and tell each case's survey workflow what changed."""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.service import RPCError, RPCStatusCode

import risk
from activities.blocking import Blocking
from activities.digest import digests
from activities.errors import missing_row
from activities.notices import Notices
from models.assessment import AssessedRow, Assessment
from models.audit import AuditEvent
from models.base import utcnow
from models.enums import Stage
from models.outbox import EmailMessage
from models.refresh import RefreshCase, RegistryRefresh
from models.refresh_messages import (
    Reassessed,
    RefreshActivity,
    RefreshInput,
    RefreshPage,
    RefreshPageResult,
    RefreshPlan,
    RefreshResult,
)
from models.registry import RegistryImport
from models.survey import Survey
from risk.assessed import file_findings, result_of, save_assessment, stored_rows
from risk.changes import facility_changes, judging_day
from risk.reassess import reassess

JUDGED = (Stage.ACCEPTED.value, Stage.RISK_FOUND.value)  # cases a refresh judges again
SIGNAL = "registry_changed"


class RefreshActivities:
    """Judges cases again after a status-list import; dependencies are injected."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        risk_config: Path | None = None,
        executor: Executor | None = None,
        notices: Notices | None = None,
        base_url: str = "",
    ) -> None:
        self._sessions = sessions
        self._risk_config = risk_config
        self._blocking = Blocking(executor)
        self._notices = notices  # None: no digest is sent
        self._base_url = base_url.rstrip("/")

    @activity.defn(name=RefreshActivity.BEGIN_REFRESH)
    async def begin_refresh(self, inp: RefreshInput) -> RefreshPlan:
        """Record the refresh of an import (once) with the facilities whose status changed."""
        return await self._blocking(self.begin, inp.import_id, activity.info().workflow_id or "")

    @activity.defn(name=RefreshActivity.REASSESS_PAGE)
    async def reassess_page(self, page: RefreshPage) -> RefreshPageResult:
        """Judge the next page of concerned cases again and signal the surveys whose findings changed."""
        result, tell = await self._blocking.heartbeating(self.page, page)
        client = activity.client()
        for survey_id, workflow_id, message in tell:
            try:
                await client.get_workflow_handle(workflow_id).signal(SIGNAL, message)
                told = "signalled"
            except RPCError as exc:
                if exc.status != RPCStatusCode.NOT_FOUND:
                    raise
                told = "workflow-ended"  # the case's findings are recorded; staff reopen it to follow up
            await self._blocking(self.mark_told, page.refresh_id, survey_id, told)
        return result

    @activity.defn(name=RefreshActivity.FINISH_REFRESH)
    async def finish_refresh(self, result: RefreshResult) -> None:
        """Record the refresh's totals and its summary audit event."""
        await self._blocking(finished, self._sessions, result.refresh_id, result.examined, result.changed)

    @activity.defn(name=RefreshActivity.SEND_DIGESTS)
    async def send_digests(self, result: RefreshResult) -> int:
        """Email each owner what the refresh changed for their suppliers (once per owner)."""
        if self._notices is None:
            return 0
        notices = self._notices
        ids = await self._blocking(digests, self._sessions, notices, result.refresh_id, self._base_url)
        for message_id in ids:
            with self._sessions() as session:
                row = session.get(EmailMessage, message_id)
            if row is not None:
                await notices.send(row)
        return len(ids)

    def begin(self, import_id: int, workflow_id: str) -> RefreshPlan:
        """Find or record the refresh (blocking)."""
        with self._sessions.begin() as session:
            found = session.scalar(select(RegistryRefresh).where(RegistryRefresh.import_id == import_id))
            if found is None:
                record = session.get(RegistryImport, import_id)
                if record is None:
                    raise missing_row(f"registry import {import_id}")
                on = judging_day(record)
                registry = risk.load_registry(session, on)
                changes = facility_changes(session, record, registry, self._config())
                found = RegistryRefresh(
                    import_id=import_id, workflow_id=workflow_id, as_of=on, facilities=changes
                )
                session.add(found)
                session.flush()
            return RefreshPlan(refresh_id=found.id, facilities=len(found.facilities))

    def _config(self) -> risk.RiskConfig:
        return risk.load_risk_config(self._risk_config)

    def page(self, page: RefreshPage) -> tuple[RefreshPageResult, list[tuple[int, str, Reassessed]]]:
        """Judge a page of cases again (blocking); returns the page's counts and the surveys to tell."""
        config = self._config()
        with self._sessions.begin() as session:
            refresh = session.get(RegistryRefresh, page.refresh_id)
            if refresh is None:
                raise missing_row(f"registry refresh {page.refresh_id}")
            cids = [f["smelter_id"] for f in refresh.facilities]
            found = concerned(session, cids, page.after, page.limit)
            registry = risk.load_registry(session, refresh.as_of) if found else None
            changed, tell = 0, []
            for kept, workflow_id in found:
                assert registry is not None
                done = session.scalar(
                    select(RefreshCase).where(
                        RefreshCase.refresh_id == refresh.id, RefreshCase.survey_id == kept.survey_id
                    )
                )
                if done is None:
                    done = judge_again(session, refresh, kept, registry, config)
                if done is None:
                    continue
                changed += 1
                if done.told == "pending":
                    tell.append((kept.survey_id, workflow_id, _message(session, done)))
            last = found[-1][0].survey_id if found else page.after
            result = RefreshPageResult(
                examined=len(found), changed=changed, last=last, done=len(found) < page.limit
            )
        return result, tell

    def mark_told(self, refresh_id: int, survey_id: int, told: str) -> None:
        """Record that a case's survey was told of its new assessment (blocking)."""
        with self._sessions.begin() as session:
            row = session.scalar(
                select(RefreshCase).where(
                    RefreshCase.refresh_id == refresh_id, RefreshCase.survey_id == survey_id
                )
            )
            if row is not None:
                row.told = told


def concerned(session: Session, cids: list[str], after: int, limit: int) -> list[tuple[Assessment, str]]:
    """The next cases (after case `after`) whose current assessment names one of the facilities, with
    their survey's workflow id; driven by the matched-facility index, so the cost follows the matches."""
    found = session.execute(
        select(Assessment.id, Survey.workflow_id)
        .join(AssessedRow, AssessedRow.assessment_id == Assessment.id)
        .join(Survey, Survey.id == Assessment.survey_id)
        .where(
            AssessedRow.matched_id.in_(cids),
            Assessment.current.is_(True),
            Assessment.survey_id > after,
            Survey.stage.in_(JUDGED),
        )
        .group_by(Assessment.id, Assessment.survey_id, Survey.workflow_id)
        .order_by(Assessment.survey_id)
        .limit(limit)
    ).all()
    loaded = {
        a.id: a for a in session.scalars(select(Assessment).where(Assessment.id.in_([i for i, _ in found])))
    }
    return [(loaded[i], workflow_id) for i, workflow_id in found]


def judge_again(
    session: Session,
    refresh: RegistryRefresh,
    kept: Assessment,
    registry: risk.Registry,
    config: risk.RiskConfig,
) -> RefreshCase | None:
    """Judge one case's stored assessment again; store it and its audit event when anything changed."""
    results = [result_of(r) for r in stored_rows(session, kept.id)]
    findings = file_findings(session, kept.file_id)
    again = reassess(results, findings, registry, config, refresh.as_of)
    if _key(again.smelters, again.findings) == _key(results, findings):
        return None
    before = {_finding_key(f): f for f in findings}
    after = {_finding_key(f): f for f in again.findings}
    stored = save_assessment(session, kept.survey_id, kept.file_id, again, f"refresh:{refresh.id}")
    case = RefreshCase(
        refresh_id=refresh.id,
        survey_id=kept.survey_id,
        assessment_id=stored.id,
        risk_before=kept.risk,
        risk_after=again.risk,
        added=[_brief(f) for k, f in after.items() if k not in before],
        removed=[_brief(f) for k, f in before.items() if k not in after],
    )
    session.add(case)
    session.add(
        AuditEvent(
            actor="system",
            action="case.reassessed",
            subject=f"survey:{kept.survey_id}",
            after={
                "refresh_id": refresh.id,
                "file_id": kept.file_id,
                "assessment_id": stored.id,
                "risk": again.risk,
                "added": [f"{f['code']} {f['smelter_id'] or ''}".strip() for f in case.added],
                "removed": [f"{f['code']} {f['smelter_id'] or ''}".strip() for f in case.removed],
            },
        )
    )
    session.flush()
    return case


def _key(rows: list[risk.SmelterResult], findings: list[risk.Finding]) -> tuple[Any, ...]:
    """What a refresh may change: each row's status and codes, and the set of findings."""
    judged = tuple((r.row, r.rmap_status, r.last_audit, r.audit_ends, tuple(sorted(r.codes))) for r in rows)
    return judged, tuple(sorted(_finding_key(f) for f in findings))


def _finding_key(f: risk.Finding) -> tuple[str, str, str, str]:
    return (f.code, f.severity, f.metal or "", f.smelter_id or f.cell or "")


def _brief(f: risk.Finding) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity, "smelter_id": f.smelter_id, "message": f.message}


def _message(session: Session, case: RefreshCase) -> Reassessed:
    stored = session.get(Assessment, case.assessment_id)
    assert stored is not None
    count = len(file_findings(session, stored.file_id))
    added = ", ".join(f"{f['code']} {f['smelter_id'] or ''}".strip() for f in case.added)
    return Reassessed(
        assessment_id=case.assessment_id,
        file_id=stored.file_id,
        risk=case.risk_after,
        finding_count=count,
        high_added=any(f["severity"] == "high" for f in case.added),
        note=f"registry refresh {case.refresh_id}" + (f": {added}" if added else ""),
    )


def finished(sessions: sessionmaker[Session], refresh_id: int, examined: int, changed: int) -> None:
    """Close a refresh with its totals and one summary audit event (once)."""
    with sessions.begin() as session:
        refresh = session.get(RegistryRefresh, refresh_id)
        if refresh is None:
            raise missing_row(f"registry refresh {refresh_id}")
        if refresh.finished_at is None:
            refresh.finished_at = utcnow()
            refresh.cases_examined, refresh.cases_changed = examined, changed
            session.add(
                AuditEvent(
                    actor="system",
                    action="registry.refreshed",
                    subject=f"registry-refresh:{refresh.id}",
                    after={
                        "import_id": refresh.import_id,
                        "as_of": refresh.as_of.isoformat(),
                        "facilities": [f["smelter_id"] for f in refresh.facilities],
                        "cases_examined": examined,
                        "cases_changed": changed,
                    },
                )
            )
