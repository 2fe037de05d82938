"""What a corrective action's email says: its findings, the expected outcome, and who receives it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from activities.errors import missing_row
from models.corrective import CorrectiveAction
from models.enums import EmailKind
from models.messages import EmailRequest
from models.supplier import Supplier
from risk.wording import translate


def action_context(session: Session, req: EmailRequest, language: str = "en") -> dict[str, Any]:
    """The template variables of an action email (`action`, `reason`), its findings and expected outcome
    in the supplier's language."""
    action = session.get(CorrectiveAction, req.action_id)
    if action is None:
        raise missing_row(f"corrective action {req.action_id}")
    return {
        "action": {
            "n": action.n,
            "number": f"{action.survey_id}/{action.n}",  # as the console and the CLI show it
            "kind": action.kind,
            "severity": action.severity,
            "metal": action.metal or "",
            "status": action.status,
            "required_outcome": translate(action.required_outcome, language),
            "owner": action.owner or "",
            "findings": [
                {
                    "message": translate(f["message"], language),
                    "metal": f.get("metal"),
                    "smelter_id": f.get("smelter_id"),
                }
                for f in action.findings
            ],
            "smelters": list(dict.fromkeys(f["smelter_id"] for f in action.findings if f.get("smelter_id"))),
        },
        "reason": req.reason,
    }


def action_recipients(
    session: Session, req: EmailRequest, supplier: Supplier
) -> tuple[list[str], list[str]] | None:
    """An escalation goes to the action's internal owner only; other kinds keep the case's recipients."""
    if req.kind != EmailKind.ACTION_ESCALATION:
        return None
    action = session.get(CorrectiveAction, req.action_id)
    owner = (action.owner if action else None) or supplier.owner_email or supplier.email
    return [owner], []
