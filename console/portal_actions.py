"""A case's corrective actions as its supplier may see them: what is expected, by when, what was sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.corrective import ActionEvidence, CorrectiveAction
from models.enums import ActionStatus
from models.files import StoredFile

SUPPLIER = "supplier"  # who the portal's uploads are from (as for templates)


def _day(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d") if at else ""


def _documents(session: Session, action_id: int) -> list[dict[str, Any]]:
    """The documents offered for an action; a note shows only when the supplier wrote it."""
    rows = session.execute(
        select(ActionEvidence, StoredFile)
        .join(StoredFile, ActionEvidence.file_id == StoredFile.id)
        .where(ActionEvidence.action_id == action_id, ActionEvidence.kind == "document")
        .order_by(ActionEvidence.id)
    )
    return [
        {
            "name": stored.original_name,
            "at": _day(evidence.created_at),
            "review": evidence.review,
            "note": evidence.note if evidence.submitted_by == SUPPLIER else "",
        }
        for evidence, stored in rows
    ]


def supplier_view(session: Session, action: CorrectiveAction) -> dict[str, Any]:
    """What the emails tell the supplier about an action (never its owner or internal notes)."""
    status = ActionStatus(action.status)
    return {
        "id": action.id,
        "n": action.n,
        "number": f"{action.survey_id}/{action.n}",  # as the emails, the console and the CLI name it
        "open": not status.closed,
        "status": status.value,
        "workflow_id": action.workflow_id,
        "due": _day(action.due_at),
        "required_outcome": action.required_outcome,
        "findings": [f["message"] for f in action.findings if f.get("message")],
        # A rejection's reason was emailed to the supplier; other justifications stay internal.
        "rejected_because": action.justification if status == ActionStatus.REJECTED else "",
        "documents": _documents(session, action.id) if not status.closed else [],
    }


def case_actions(session: Session, survey_id: int) -> list[dict[str, Any]]:
    """Every action of a case, in order, as its supplier may see it."""
    query = (
        select(CorrectiveAction).where(CorrectiveAction.survey_id == survey_id).order_by(CorrectiveAction.n)
    )
    return [supplier_view(session, a) for a in session.scalars(query)]
