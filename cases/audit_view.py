"""The audit trail as people read it: who did what to which case, each change as named fields."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.audit_query import AuditFilter, events_query, parse_moment
from models.campaign import Campaign
from models.corrective import CorrectiveAction
from models.users import User

NAMES = {
    "due_at": "Due date",
    "file_id": "File",
    "follow_ups": "Follow-ups",
    "survey_id": "Case",
    "n": "Action number",
    "until": "Locked until",
}


@dataclass
class Change:
    """One field of an event: its name, before and after (as text)."""

    name: str
    before: str
    after: str


@dataclass
class Readable:
    """One audit event for the page: when, who, what, the subject in words with its case, the changes."""

    id: int
    seq: int
    at: dt.datetime
    actor: str
    action: str
    subject: str
    what: str  # "Case #12", "Action 12/1", "User ann@…", "Campaign CMRT-2027"
    case: int | None
    changes: list[Change] = field(default_factory=list)


def field_name(key: str) -> str:
    """A stored key as a label: due_at → Due date, stage → Stage."""
    return NAMES.get(key, key.replace("_", " ").capitalize())


def shown(value: Any) -> str:
    """A stored value as text: nothing as —, times to the minute, nested values compact."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and value[10:11] == "T":
        return value[:16].replace("T", " ")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)[:500]
    return str(value)


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """The fields an event changed or stated, in the order stored; unchanged ones left out."""
    before, after = before or {}, after or {}
    found = []
    for key in dict.fromkeys([*after, *before]):
        was, now = shown(before.get(key)) if before else "", shown(after.get(key))
        if not (
            key in before and key in after and was == now
        ):  # as shown: a time moved by seconds is not news
            found.append(Change(field_name(key), was, now))
    return found


def wanted(form: dict[str, str]) -> tuple[AuditFilter, int | None]:
    """The filter of the page's form (raises ValueError with a message); a date `until` includes its day."""
    case = form.get("case", "").strip().lstrip("#")
    if case and not case.isdigit():
        raise ValueError(f"{case!r} is not a case number")
    until = parse_moment(form["until"]) if form.get("until") else None
    if until is not None and len(form["until"].strip()) == 10:
        until += dt.timedelta(days=1)
    since = parse_moment(form["since"]) if form.get("since") else None
    plain = AuditFilter(
        actor=form.get("actor") or None, action=form.get("action") or None, since=since, until=until
    )
    return plain, int(case) if case and len(case) < 19 else None


def case_events(session: Session, f: AuditFilter, case: int | None) -> Select[AuditEvent]:
    """The events matching a filter; a case's include those of its corrective actions."""
    query = events_query(f)
    if case is not None:
        actions = session.scalars(select(CorrectiveAction.id).where(CorrectiveAction.survey_id == case))
        query = query.where(AuditEvent.subject.in_([f"survey:{case}", *(f"action:{a}" for a in actions)]))
    return query


def readable(session: Session, events: list[AuditEvent]) -> list[Readable]:
    """The events with their subjects named and tied to their case, and their changes as fields."""
    ids: dict[str, set[int]] = {}
    for e in events:
        kind, _, number = e.subject.partition(":")
        if number.isdigit():
            ids.setdefault(kind, set()).add(int(number))
    actions = {
        a.id: a
        for a in session.scalars(
            select(CorrectiveAction).where(CorrectiveAction.id.in_(ids.get("action", ())))
        )
    }
    users: dict[int, str] = {
        i: email
        for i, email in session.execute(select(User.id, User.email).where(User.id.in_(ids.get("user", ()))))
    }
    campaigns: dict[int, str] = {
        i: name
        for i, name in session.execute(
            select(Campaign.id, Campaign.name).where(Campaign.id.in_(ids.get("campaign", ())))
        )
    }
    found = []
    for e in events:
        kind, _, number = e.subject.partition(":")
        n = int(number) if number.isdigit() else None
        what, case = e.subject, None
        if kind == "survey" and n is not None:
            what, case = f"Case #{n}", n
        elif kind == "action" and n in actions:
            action = actions[n]
            what, case = f"Action {action.survey_id}/{action.n}", action.survey_id
        elif kind == "user" and n in users:
            what = f"User {users[n]}"
        elif kind == "campaign" and n in campaigns:
            what = f"Campaign {campaigns[n]}"
        found.append(
            Readable(e.id, e.seq, e.at, e.actor, e.action, e.subject, what, case, changes(e.before, e.after))
        )
    return found
