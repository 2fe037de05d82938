"""Staff actions on a case (extend, exempt, close, reopen) as the survey workflow's signals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cases.dates import parse_due
from models.enums import Stage
from models.messages import CloseCase, Exempt, ExtendDue, Reopen
from workflows import SurveyWorkflow


class ActionError(ValueError):
    """The action cannot be sent as filled in; the message says what to change."""


@dataclass(frozen=True)
class Action:
    """One staff action: its label, when it applies, and the signal it sends."""

    name: str
    label: str
    on_final: bool  # applies to finished cases (reopen) or to open ones
    needs_due: bool = False
    due_optional: bool = False
    reason_required: bool = False

    def applies(self, stage: str) -> bool:
        """True when the workflow would act on it in this stage."""
        return Stage(stage).final == self.on_final


ACTIONS = {
    a.name: a
    for a in (
        Action("extend", "Extend due date", on_final=False, needs_due=True),
        Action("exempt", "Exempt supplier", on_final=False, reason_required=True),
        Action("close", "Close case", on_final=False, reason_required=True),
        Action(
            "reopen", "Reopen case", on_final=True, needs_due=True, due_optional=True, reason_required=True
        ),
    )
}


def build_signal(action: Action, actor: str, reason: str, due: str) -> tuple[Any, Any]:
    """The signal method and its argument for a filled-in action form."""
    reason = reason.strip()
    if action.reason_required and not reason:
        raise ActionError("say why: the reason is kept in the audit trail")
    due_at = None
    if action.needs_due and (due.strip() or not action.due_optional):
        try:
            due_at = parse_due(due)
        except ValueError as exc:
            raise ActionError(str(exc)) from None
    if action.name == "extend":
        assert due_at is not None
        return SurveyWorkflow.extend_due, ExtendDue(due_at=due_at, actor=actor, reason=reason)
    if action.name == "exempt":
        return SurveyWorkflow.exempt, Exempt(reason=reason, actor=actor)
    if action.name == "close":
        return SurveyWorkflow.close, CloseCase(actor=actor, reason=reason)
    return SurveyWorkflow.reopen, Reopen(actor=actor, reason=reason, due_at=due_at)
