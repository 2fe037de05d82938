"""Registry refreshes as every interface shows and starts them: the refresh of an import, the list of
refreshes, and one refresh's facilities, cases and corrective actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from models.corrective import CorrectiveAction
from models.refresh import RefreshCase, RegistryRefresh
from models.refresh_messages import RefreshInput
from models.registry import RegistryImport
from models.supplier import Supplier
from models.survey import Survey

REFRESH_WORKFLOW = "RegistryRefreshWorkflow"


def refresh_workflow_id(record: RegistryImport) -> str:
    """The business key of the refresh that follows an import: its list's date and the import."""
    return f"registry-refresh-{record.as_of.isoformat()}-{record.id}"


async def start_refresh(client: Client, task_queue: str, email_queue: str, record: RegistryImport) -> str:
    """Start the refresh of a status-list import (a running one is kept); returns its workflow id."""
    workflow_id = refresh_workflow_id(record)
    await client.start_workflow(
        REFRESH_WORKFLOW,
        RefreshInput(import_id=record.id, email_queue=email_queue),
        id=workflow_id,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    return workflow_id


def refresh_rows(session: Session, limit: int = 50) -> list[dict[str, Any]]:
    """The newest refreshes first: list date, facilities that changed, cases examined and changed."""
    found = session.execute(
        select(RegistryRefresh, RegistryImport.file_name)
        .join(RegistryImport, RegistryImport.id == RegistryRefresh.import_id)
        .order_by(RegistryRefresh.id.desc())
        .limit(limit)
    ).all()
    return [_summary(r, name) for r, name in found]


def _summary(refresh: RegistryRefresh, file_name: str) -> dict[str, Any]:
    return {
        "id": refresh.id,
        "import_id": refresh.import_id,
        "file_name": file_name,
        "workflow_id": refresh.workflow_id,
        "as_of": refresh.as_of.isoformat(),
        "facilities": len(refresh.facilities),
        "cases_examined": refresh.cases_examined,
        "cases_changed": refresh.cases_changed,
        "started_at": refresh.started_at.isoformat(),
        "finished_at": refresh.finished_at.isoformat() if refresh.finished_at else None,
    }


def refresh_detail(session: Session, refresh_id: int, owner: str | None = None) -> dict[str, Any] | None:
    """One refresh: the facilities that changed, each case it changed (of `owner`'s suppliers when
    given) with the actions its new assessment opened, and the actions closed since."""
    refresh = session.get(RegistryRefresh, refresh_id)
    if refresh is None:
        return None
    record = session.get(RegistryImport, refresh.import_id)
    detail = _summary(refresh, record.file_name if record else "")
    detail["changes"] = list(refresh.facilities)
    query = (
        select(RefreshCase, Supplier.supplier_id, Supplier.name, Supplier.owner_email, Survey.stage)
        .join(Survey, Survey.id == RefreshCase.survey_id)
        .join(Supplier, Supplier.id == Survey.supplier_id)
        .where(RefreshCase.refresh_id == refresh_id)
        .order_by(RefreshCase.survey_id)
    )
    if owner is not None:
        query = query.where(Supplier.owner_email == owner)
    cases: list[dict[str, Any]] = []
    for case, supplier_id, name, owner_email, stage in session.execute(query):
        cases.append(
            {
                "case": case.survey_id,
                "supplier_id": supplier_id,
                "supplier": name,
                "owner": owner_email,
                "stage": stage,
                "risk_before": case.risk_before,
                "risk_after": case.risk_after,
                "added": case.added,
                "removed": case.removed,
                "told": case.told,
                "actions_opened": _opened(session, case.assessment_id),
            }
        )
    detail["cases"] = cases
    detail["actions_opened"] = sum(len(c["actions_opened"]) for c in cases)
    detail["actions_closed"] = _closed_since(session, [c["case"] for c in cases], refresh.started_at)
    return detail


def _opened(session: Session, assessment_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(CorrectiveAction).where(CorrectiveAction.opened_assessment_id == assessment_id)
    )
    return [{"id": a.id, "n": a.n, "kind": a.kind, "status": a.status} for a in rows]


def _closed_since(session: Session, cases: list[int], since: dt.datetime) -> int:
    """Actions of these cases resolved since the refresh started (by the refresh, or by anything else)."""
    if not cases:
        return 0
    count = session.scalar(
        select(func.count())
        .select_from(CorrectiveAction)
        .where(
            CorrectiveAction.survey_id.in_(cases),
            CorrectiveAction.status == "resolved",
            CorrectiveAction.closed_at >= since,
        )
    )
    return int(count or 0)


def owners_of(session: Session, refresh_id: int) -> list[str]:
    """The owners (buyers) whose suppliers' cases a refresh changed."""
    query = (
        select(Supplier.owner_email)
        .join(Survey, Survey.supplier_id == Supplier.id)
        .join(RefreshCase, RefreshCase.survey_id == Survey.id)
        .where(RefreshCase.refresh_id == refresh_id, Supplier.owner_email.is_not(None))
        .distinct()
    )
    return sorted(o for o in session.scalars(query) if o)
