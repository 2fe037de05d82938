"""Smelter outreach as every interface shows and drives it: the list, one facility's timeline, contacts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.audit import AuditEvent
from models.outbox import EmailMessage
from models.outreach import Outreach, SmelterContact
from models.registry import RegistryFacility
from models.supplier import is_email_address

CID = re.compile(r"^CID\d{6}$")
COLUMNS = {
    "cid": "smelter_id",
    "smelter id": "smelter_id",
    "smelter_id": "smelter_id",
    "name": "name",
    "email": "email",
    "language": "language",
}


def outreach_rows(session: Session, include_closed: bool = True) -> list[dict[str, Any]]:
    """Every facility's outreach: state, letters sent, outcome; those that need a contact first."""
    query = (
        select(Outreach, RegistryFacility.name, SmelterContact.email)
        .outerjoin(RegistryFacility, RegistryFacility.smelter_id == Outreach.smelter_id)
        .outerjoin(SmelterContact, SmelterContact.smelter_id == Outreach.smelter_id)
    )
    if not include_closed:
        query = query.where(Outreach.state != "closed")
    rows = [_row(o, name, email) for o, name, email in session.execute(query)]
    return sorted(
        rows, key=lambda r: (r["state"] != "needs-contact", r["state"] == "closed", r["smelter_id"])
    )


def _row(o: Outreach, name: str | None, email: str | None) -> dict[str, Any]:
    return {
        "smelter_id": o.smelter_id,
        "name": name or "",
        "state": o.state,
        "letters": o.letters,
        "outcome": o.outcome,
        "contact": email,
        "reason": o.reason,
        "workflow_id": o.workflow_id,
        "started_at": o.started_at.isoformat(),
        "closed_at": o.closed_at.isoformat() if o.closed_at else None,
    }


def outreach_detail(session: Session, smelter_id: str) -> dict[str, Any] | None:
    """One facility's outreach with its timeline (from the audit trail) and the letters sent."""
    found = session.execute(
        select(Outreach, RegistryFacility.name, SmelterContact.email)
        .outerjoin(RegistryFacility, RegistryFacility.smelter_id == Outreach.smelter_id)
        .outerjoin(SmelterContact, SmelterContact.smelter_id == Outreach.smelter_id)
        .where(Outreach.smelter_id == smelter_id)
    ).first()
    if found is None:
        return None
    detail = _row(*found)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.subject == f"outreach:{smelter_id}").order_by(AuditEvent.id)
    )
    detail["timeline"] = [
        {"at": e.at.isoformat(), "actor": e.actor, "event": e.action, **(e.after or {})} for e in events
    ]
    letters = session.scalars(
        select(EmailMessage)
        .where(EmailMessage.idempotency_key.like(f"outreach-{smelter_id}/%"))
        .order_by(EmailMessage.id)
    )
    detail["letters_sent"] = [
        {
            "kind": m.kind,
            "to": m.to,
            "subject": m.subject,
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        }
        for m in letters
    ]
    return detail


def import_contacts(session: Session, text: str) -> tuple[list[str], list[str]]:
    """Store the contacts of a CSV (CID, name, email, language); returns the CIDs stored and the problems
    of the rows refused. The caller commits."""
    reader = csv.DictReader(io.StringIO(text))
    fields = {f: COLUMNS.get(f.strip().casefold()) for f in reader.fieldnames or []}
    if not {"smelter_id", "email"} <= set(fields.values()):
        raise ValueError("the file needs a CID and an email column (CID, name, email, language)")
    stored, problems = [], []
    for line, raw in enumerate(reader, start=2):
        row = {fields[k]: (v or "").strip() for k, v in raw.items() if k in fields and fields[k]}
        cid, email = row.get("smelter_id", "").upper(), row.get("email", "")
        if not CID.match(cid):
            problems.append(f"line {line}: {cid or 'no CID'} is not an RMI facility id (CID and six digits)")
            continue
        if not is_email_address(email):
            problems.append(f"line {line}: {email or 'no email'} is not an email address")
            continue
        contact = session.get(SmelterContact, cid) or SmelterContact(smelter_id=cid)
        contact.name, contact.email = row.get("name", ""), email
        contact.language = (row.get("language") or "en")[:8]
        session.add(contact)
        stored.append(cid)
    return stored, problems


def engagement_figures(session: Session, start: dt.date, end: dt.date) -> dict[str, int]:
    """Outreach in a period: facilities engaged, letters sent, facilities that became Active or Conformant."""
    since = dt.datetime.combine(start, dt.time(), dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
    engaged = session.scalar(
        select(func.count(func.distinct(AuditEvent.subject))).where(
            AuditEvent.action == "outreach.started", AuditEvent.at >= since, AuditEvent.at < until
        )
    )
    letters = session.scalar(
        select(func.count()).where(
            AuditEvent.action.in_(("outreach.letter-sent", "outreach.follow-up")),
            AuditEvent.at >= since,
            AuditEvent.at < until,
        )
    )
    moved = session.scalar(
        select(func.count(func.distinct(Outreach.smelter_id))).where(
            Outreach.outcome.in_(("conformant", "active")),
            Outreach.closed_at >= since,
            Outreach.closed_at < until,
        )
    )
    return {"engaged": int(engaged or 0), "letters": int(letters or 0), "moved": int(moved or 0)}
