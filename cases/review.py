"""Reviewing a corrective action: open the supplier's documents, check a staff decision before it is sent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from activities.evidence import content_kind
from cases.action_view import OPEN
from cases.dates import parse_due
from models.base import utcnow
from models.enums import Decision
from models.files import StoredFile
from workflows.corrective_action import NEEDS_TEXT

# What a browser shows itself (by the bytes, never by the name); everything else is downloaded.
SHOWN = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}
SAVED = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The decisions of the review form, in the order offered; a closed action only takes a note.
DECISIONS = (Decision.ACCEPT, Decision.REJECT, Decision.EXTEND, Decision.WAIVE, Decision.NOTE)
VERBS = {
    Decision.ACCEPT: "Accept",
    Decision.REJECT: "Reject",
    Decision.EXTEND: "Extend",
    Decision.WAIVE: "Waive",
    Decision.NOTE: "Add a note to",
}


@dataclass(frozen=True)
class Document:
    """A stored file as the browser gets it: where it is, its name, its type, shown or downloaded."""

    path: Path
    name: str
    media_type: str
    inline: bool


def document(session: Session, store_dir: Path, file_id: int) -> Document | None:
    """A stored file of a case, typed by its content; None when the row or the file is gone."""
    stored = session.get(StoredFile, file_id)
    if stored is None:
        return None
    path = (store_dir / stored.path).resolve()
    if not path.is_relative_to(store_dir.resolve()) or not path.is_file():
        return None
    with path.open("rb") as source:
        kind = content_kind(source)
    if kind in SHOWN:
        return Document(path, stored.original_name, SHOWN[kind], True)
    return Document(path, stored.original_name, SAVED.get(kind or "", "application/octet-stream"), False)


def decisions_for(status: str) -> tuple[Decision, ...]:
    """The decisions the review form offers an action in this status."""
    return DECISIONS if status in OPEN else (Decision.NOTE,)


def decision_problem(row: dict[str, Any], decision: Decision, reason: str, due: str) -> str:
    """What is wrong with a decision on an action (as listed by `action_row`), or '' when it can be sent."""
    if decision not in decisions_for(str(row["status"])):
        return f"action {row['number']} is {row['status']}; only a note can be added"
    if decision in NEEDS_TEXT and not reason.strip():
        return f"to {decision.value} action {row['number']}, give {NEEDS_TEXT[decision]}"
    if decision == Decision.EXTEND:
        try:
            if parse_due(due) <= utcnow():
                return f"to extend action {row['number']}, give a new due date in the future"
        except ValueError as exc:
            return f"action {row['number']}: {exc}"
    return ""
